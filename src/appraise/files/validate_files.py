"""``appraise validate``: check checklist and appraisal files, telling which is which by their keys."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from appraise.core.assessment import Assessment
from appraise.core.consistency import checklist_warnings
from appraise.files.checklists import parse_checklist
from appraise.files.problems import FileProblems, Problem
from appraise.files.store import LoadedAppraisal, load_appraisal
from appraise.files.yamlio import Document, read_document


@dataclass
class FileReport:
    """What validating one file found."""

    path: Path
    summary: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No errors (warnings are allowed)."""
        return not any(p.severity == "error" for p in self.problems)


def validate_path(path: Path) -> Iterator[FileReport]:
    """Validate a file, or every YAML file in a folder (recursively, in name order)."""
    if path.is_dir():
        from appraise.files.walker import yaml_files

        for child in yaml_files([path]):
            yield validate_file(child)
    else:
        yield validate_file(path)


def validate_file(path: Path) -> FileReport:
    """Validate one checklist or appraisal file."""
    report = FileReport(path)
    try:
        doc = read_document(path)
        data = doc.data if isinstance(doc.data, dict) else {}
        if "appraise" in data or "answers" in data:
            loaded = load_appraisal(path)
            report.problems = loaded.problems + (warning_problems(loaded, doc) if not loaded.errors else [])
            if loaded.appraisal.paper is not None or loaded.appraisal.documents:
                from appraise.files.papers import quote_problems  # only appraisals with a paper pay for it

                report.problems = [*report.problems, *quote_problems(loaded.appraisal, path, doc)]
            from appraise.review.locking import hash_problem

            if message := hash_problem(loaded.appraisal):
                report.problems = [*report.problems, doc.problem(("completed", "hash"), message, severity="warning")]
            study = loaded.appraisal.study.label
            report.summary = f"appraisal of {study} with {loaded.checklist.id} v{loaded.checklist.version}"
        elif path.name == "review.yaml":
            from appraise.review.folder import check_review_file

            report.summary, report.problems = check_review_file(path)
        elif "sections" in data:
            checklist = parse_checklist(doc)
            report.summary = f"checklist {checklist.id} v{checklist.version}, {len(checklist.questions)} questions"
        else:
            report.problems = [
                doc.problem(
                    (),
                    "neither a checklist (it has no 'sections:') nor an appraisal "
                    "(it has no 'appraise:' format version)",
                )
            ]
    except FileProblems as error:
        report.problems = error.problems
    return report


def warning_problems(loaded: LoadedAppraisal, doc: Document) -> list[Problem]:
    """The checklist's warnings for this appraisal, each at the first answer it reads."""
    problems = []
    for warning in checklist_warnings(Assessment(loaded.appraisal, loaded.checklist)):
        places = [("answers", q) for q in warning.questions]
        loc = next((where for where in places if where in doc.positions), ("answers",))
        problems.append(doc.problem(loc, warning.text, severity="warning"))
    return problems
