"""Everything that touches disk: YAML with positions, problems, paths, caches, checklists, appraisal files, imports."""
