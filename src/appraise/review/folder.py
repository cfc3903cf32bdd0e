"""A review folder: ``REVIEW/review.yaml`` and one folder of appraisals per reviewer.

::

    REVIEW/
      review.yaml          # the team, the instrument, the pilot studies, the review's own guidance
      alex/*.yaml          # one folder per reviewer, named for them
      bea/*.yaml
      consensus/*.yaml     # consensus appraisals (optional)

A study's files are matched across reviewers by DOI, else by title, year and first author, else by
file name (:func:`study_groups`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from appraise.files.problems import FileProblems, Problem
from appraise.files.yamlio import read_document

if TYPE_CHECKING:
    from appraise.core.appraisal import Appraisal
    from appraise.files.store import LoadedAppraisal

# Reading the appraisals of a review imports their models and the store when it reads them: a summary
# only asks which files to read (summary_paths), and a summary from the read cache reads none.

REVIEW_FILE = "review.yaml"
CONSENSUS = "consensus"


class ReviewChecklist(BaseModel):
    """The instrument the review uses."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: str = Field(min_length=1, description="The checklist id, e.g. rob2 or peer-support.")
    version: str = Field("", description="Its version, when the review fixes one.")


class ReviewFile(BaseModel):
    """``review.yaml``: who appraises what with which instrument, and the decision rules agreed."""

    # Deferred: the app looks for a review.yaml on every open; most appraisals are in none.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    review: str = Field("", description="The review's title.")
    checklist: ReviewChecklist | None = Field(None, description="The instrument every reviewer uses.")
    team: list[str] = Field(
        default_factory=list, description="The reviewers; each has a folder of appraisals named for them."
    )
    pilot: list[str] = Field(
        default_factory=list,
        description="The calibration studies: file names (without .yaml), DOIs or titles. Empty: every study.",
    )
    blind: bool = Field(
        False,
        description="Blind work: compare shows no reviewer's answers for a study until every file is complete.",
    )
    guidance: dict[str, str] = Field(
        default_factory=dict,
        description="The review's own decision rules per question id, e.g. B4: 'In this review, count … as PY'.",
    )


def load_review_file(path: Path) -> ReviewFile:
    """Read ``review.yaml`` or raise every problem with its line (FileProblems)."""
    from appraise.files.validation import validate

    return validate(read_document(path), ReviewFile)


@dataclass
class StudyFiles:
    """One study and every reviewer's appraisal of it."""

    key: str
    """The file name (stem) of the first file found: how the study is named in reports."""
    title: str
    files: dict[str, LoadedAppraisal] = field(default_factory=dict)
    """Reviewer (folder name) → their appraisal."""
    consensus: LoadedAppraisal | None = None
    how: str = "file name"
    """How the files were matched: DOI, title, year and first author, or file name."""

    @property
    def label(self) -> str:
        """How reports name the study."""
        return self.title or self.key


@dataclass
class Review:
    """A review folder read: its settings, its studies, and the problems found on the way."""

    root: Path
    settings: ReviewFile
    reviewers: list[str]
    studies: list[StudyFiles]
    problems: list[Problem] = field(default_factory=list)

    def pilot_studies(self) -> list[StudyFiles]:
        """The calibration studies of review.yaml (every study, when it names none)."""
        if not self.settings.pilot:
            return list(self.studies)
        wanted = {_plain(p) for p in self.settings.pilot}
        return [s for s in self.studies if wanted & _names(s)]

    def guidance(self, question_id: str) -> str:
        """The review's own guidance for a question ('' when there is none)."""
        return self.settings.guidance.get(question_id, "")


def _names(study: StudyFiles) -> set[str]:
    names = {_plain(study.key), _plain(study.title)}
    for loaded in study.files.values():
        names |= {_plain(loaded.path.stem), _plain(loaded.appraisal.study.doi), _plain(loaded.appraisal.study.title)}
    return names - {""}


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s./]", " ", text.casefold()).split())


def _doi(appraisal: Appraisal) -> str:
    doi = appraisal.study.doi.strip().casefold()
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi)


def _title_key(appraisal: Appraisal) -> str:
    from appraise.core.appraisal import first_author_surname

    study = appraisal.study
    if not (study.title and study.year):
        return ""
    return f"{_plain(study.title)}|{study.year}|{first_author_surname(study.authors).casefold()}"


def same_study(a: LoadedAppraisal, b: LoadedAppraisal) -> str | None:
    """How two files are of the same study (DOI, title/year/author, file name), or None."""
    doi_a, doi_b = _doi(a.appraisal), _doi(b.appraisal)
    if doi_a and doi_b:
        return "DOI" if doi_a == doi_b else None
    title_a, title_b = _title_key(a.appraisal), _title_key(b.appraisal)
    if title_a and title_b:
        return "title, year and first author" if title_a == title_b else None
    return "file name" if a.path.stem.casefold() == b.path.stem.casefold() else None


def read_review(root: Path) -> Review:
    """Read a review folder: review.yaml (if any), each reviewer's folder, and the consensus folder.

    Raises FileProblems when review.yaml is invalid; an invalid appraisal is a problem listed on
    the review, not a stop.
    """
    settings_path = root / REVIEW_FILE
    settings = load_review_file(settings_path) if settings_path.exists() else ReviewFile()
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    named = [f for f in folders if f.name != CONSENSUS]
    if settings.team:
        named = [root / name for name in settings.team if (root / name).is_dir()]
    problems: list[Problem] = []
    for name in settings.team:
        if not (root / name).is_dir():
            message = f"the team lists {name!r} but there is no folder {root / name} of their appraisals"
            problems.append(Problem(str(settings_path), 1, 1, message, "warning"))
    studies: list[StudyFiles] = []
    for folder in named:
        for loaded in _appraisals(folder, problems):
            _place(studies, folder.name, loaded)
    if (root / CONSENSUS).is_dir():
        for loaded in _appraisals(root / CONSENSUS, problems):
            match = next((s for s in studies if any(same_study(loaded, f) for f in s.files.values())), None)
            if match is not None:
                match.consensus = loaded
    return Review(root, settings, [f.name for f in named], studies, problems)


def _appraisals(folder: Path, problems: list[Problem]) -> list[LoadedAppraisal]:
    from appraise.files.store import load_appraisal

    found = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            loaded = load_appraisal(path)
        except FileProblems as error:
            problems += error.problems
            continue
        if loaded.errors:
            problems += loaded.errors
            continue
        found.append(loaded)
    return found


def _place(studies: list[StudyFiles], reviewer: str, loaded: LoadedAppraisal) -> None:
    for study in studies:
        if reviewer in study.files:
            continue
        how = next((h for f in study.files.values() if (h := same_study(loaded, f))), None)
        if how is not None:
            study.files[reviewer] = loaded
            study.how = how
            return
    studies.append(StudyFiles(loaded.path.stem, loaded.appraisal.study.title, {reviewer: loaded}))


def review_of(path: Path) -> ReviewFile | None:
    """The review.yaml of a reviewer's file (REVIEW/NAME/file.yaml), if it is in a review folder."""
    candidate = path.resolve().parent.parent / REVIEW_FILE
    if not candidate.exists():
        return None
    try:
        return load_review_file(candidate)
    except FileProblems:
        return None


def summary_paths(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The files ``appraise summary`` reads: a review folder counts each study once.

    For each study of a review folder (one with review.yaml): its consensus file where there is one,
    else the first reviewer's copy (team order), with a note saying whose copies were found and which
    was used. Other paths pass through unchanged. Raises FileProblems for an invalid review.yaml.
    """
    chosen: list[Path] = []
    notes: list[str] = []
    for path in paths:
        if not (path.is_dir() and (path / REVIEW_FILE).exists()):
            chosen.append(path)
            continue
        review = read_review(path)
        notes += [str(p) for p in review.problems]
        for study in review.studies:
            if study.consensus is not None:
                chosen.append(study.consensus.path)
                continue
            first = next(iter(study.files))
            chosen.append(study.files[first].path)
            if len(study.files) > 1:
                notes.append(
                    f"{study.label}: no consensus file yet; found the copies of {', '.join(study.files)} "
                    f"and used {first}'s ({study.files[first].path})"
                )
    return chosen, notes


def check_review_file(path: Path) -> tuple[str, list[Problem]]:
    """``appraise validate`` of review.yaml: its keys, then whether the team's folders exist.

    Raises FileProblems for an invalid file; returns a summary and warnings otherwise.
    """
    settings = load_review_file(path)
    review = read_review(path.parent)
    problems = [p for p in review.problems if p.path == str(path)]
    if settings.checklist is not None:
        from appraise.files.checklists import load_checklist

        try:
            checklist = load_checklist(settings.checklist.id)
        except (LookupError, FileProblems):
            doc = read_document(path)
            problems.append(doc.problem(("checklist", "id"), f"no checklist {settings.checklist.id!r} is installed"))
        else:
            doc = read_document(path)
            for question_id in settings.guidance:
                if question_id not in checklist.questions:
                    message = f"guidance for {question_id!r}, which is not a question of {checklist.id}"
                    problems.append(doc.problem(("guidance", question_id), message, key=True, severity="warning"))
    summary = f"review with {len(review.reviewers)} reviewer(s), {len(review.studies)} study(ies)"
    return summary, problems


__all__ = [
    "REVIEW_FILE",
    "Review",
    "ReviewFile",
    "StudyFiles",
    "check_review_file",
    "load_review_file",
    "read_review",
    "review_of",
    "same_study",
    "summary_paths",
]
