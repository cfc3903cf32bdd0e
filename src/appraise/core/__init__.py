"""The domain, pure: checklist and appraisal models, the engine, sessions, keys and words; no disk, Jinja or Textual."""
