"""Read and write appraisal files: versioned, checked against their checklist, written atomically.

Nothing a reader wrote is ever dropped: answers to questions a newer checklist no longer has are
kept in the file and reported; unknown codes are reported with their line and left as they are;
a file from a newer appraise is refused and left untouched.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appraise.core.appraisal import FORMAT_VERSION, Appraisal, ChecklistRef, Study
from appraise.core.checklist import NOT_APPLICABLE, NOT_REACHED, Checklist
from appraise.core.hints import suggestion
from appraise.core.keys import unscope
from appraise.files.checklists import load_checklist
from appraise.files.validation import validate
from appraise.files.yamlio import (
    Document,
    FileProblems,
    Problem,
    atomic_write_text,
    dump,
    read_document,
)

HEADER = "# An appraisal made with appraise. Safe to edit by hand; `appraise validate FILE` checks it.\n"


@dataclass
class LoadedAppraisal:
    """An appraisal file read and checked against its checklist."""

    path: Path
    appraisal: Appraisal
    checklist: Checklist
    problems: list[Problem] = field(default_factory=list)
    """Problems found; warnings do not stop anything, errors make the file invalid."""

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the file invalid."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems worth knowing about that do not make the file invalid."""
        return [p for p in self.problems if p.severity != "error"]


def read_appraisal(path: Path | str, text: str | None = None) -> tuple[Appraisal, Document]:
    """Parse an appraisal file's shape (no checklist needed); raise FileProblems if it is unusable."""
    doc = read_document(path, text)
    if isinstance(doc.data, dict):
        _check_format_version(doc)
    return validate(doc, Appraisal), doc


def _check_format_version(doc: Document) -> None:
    version = doc.data.get("appraise")
    if version is None:
        raise FileProblems(
            [
                doc.problem(
                    (),
                    "not an appraisal file: it has no 'appraise:' format "
                    f"version (this version of appraise writes 'appraise: {FORMAT_VERSION}')",
                )
            ]
        )
    try:
        number = int(str(version))
    except ValueError:
        raise FileProblems([doc.problem(("appraise",), f"format version {version!r} is not a number")]) from None
    if number > FORMAT_VERSION:
        raise FileProblems(
            [
                doc.problem(
                    ("appraise",),
                    (
                        f"this file was written by a newer appraise (format {number}); this version reads format "
                        f"{FORMAT_VERSION} and up to it. Upgrade appraise to open it; the file has not been changed"
                    ),
                )
            ]
        )
    if number < 1:
        raise FileProblems([doc.problem(("appraise",), f"unknown format version {number}")])


def load_appraisal(path: Path | str, checklist: Checklist | None = None) -> LoadedAppraisal:
    """Read an appraisal and check it against its checklist (found by id unless given)."""
    try:
        appraisal, doc = read_appraisal(path)
    except FileProblems as error:
        # The shape is wrong somewhere; still report unknown answer codes elsewhere in the file,
        # so that one fix-and-retry shows every problem.
        raise FileProblems([*error.problems, *_raw_code_problems(path, checklist)]) from None
    if checklist is None:
        try:
            checklist = load_checklist(appraisal.checklist.id)
        except LookupError as error:
            raise FileProblems([doc.problem(("checklist", "id"), str(error))]) from None
    problems = check_appraisal(appraisal, checklist, doc)
    return LoadedAppraisal(Path(path), appraisal, checklist, problems)


def _raw_code_problems(path: Path | str, checklist: Checklist | None) -> list[Problem]:
    """Unknown answer codes in a file whose shape did not validate (best effort, from the raw YAML)."""
    try:
        doc = read_document(path)
        data = doc.data if isinstance(doc.data, dict) else {}
        ref = data.get("checklist")
        if checklist is None and isinstance(ref, dict):
            checklist = load_checklist(str(ref.get("id")))
    except (FileProblems, LookupError, OSError):
        return []
    if checklist is None:
        return []
    found: list[Problem] = []

    def codes(answers: Any, loc: tuple[str, ...], per_outcome: bool) -> None:
        for qid, value in (answers or {}).items() if isinstance(answers, dict) else ():
            code = value.get("answer") if isinstance(value, dict) else value
            if isinstance(code, str):
                found.extend(_check_answer(checklist, doc, (*loc, qid), qid, code, per_outcome=per_outcome))

    codes(data.get("answers"), ("answers",), False)
    for oid, answers in (
        (data.get("outcome_answers") or {}).items() if isinstance(data.get("outcome_answers"), dict) else ()
    ):
        codes(answers, ("outcome_answers", oid), True)
    return [p for p in found if p.severity == "error"]


def check_appraisal(appraisal: Appraisal, checklist: Checklist, doc: Document) -> list[Problem]:
    """Everything in an appraisal that does not fit its checklist, with positions."""
    problems: list[Problem] = []
    ref = appraisal.checklist
    if ref.id != checklist.id:
        problems.append(
            doc.problem(("checklist", "id"), f"made with checklist {ref.id!r}, checked against {checklist.id!r}")
        )
    elif ref.version and ref.version != checklist.version:
        problems.append(
            doc.problem(
                ("checklist", "version"),
                (
                    f"made with {checklist.id} version {ref.version}; the checklist is now version "
                    f"{checklist.version}. Answers are kept; check any reported below"
                ),
                severity="warning",
            )
        )
    outcome_ids = {o.id for o in appraisal.outcomes}
    for qid, answer in appraisal.answers.items():
        problems += _check_answer(checklist, doc, ("answers", qid), qid, answer.answer, per_outcome=False)
    for oid, answers in appraisal.outcome_answers.items():
        if oid not in outcome_ids:
            problems.append(
                doc.problem(
                    ("outcome_answers", oid),
                    (
                        f"answers for an outcome {oid!r} that is not in 'outcomes' (kept; add the outcome "
                        f"to use them){suggestion(oid, outcome_ids)}"
                    ),
                    key=True,
                    severity="warning",
                )
            )
        for qid, answer in answers.items():
            problems += _check_answer(
                checklist, doc, ("outcome_answers", oid, qid), qid, answer.answer, per_outcome=True
            )
    problems += _check_outcomes(appraisal, checklist, doc)
    problems += _check_overrides(appraisal, checklist, doc, outcome_ids)
    return problems


def _check_answer(
    checklist: Checklist, doc: Document, loc: tuple[str, ...], qid: str, code: str | None, *, per_outcome: bool
) -> list[Problem]:
    question = checklist.questions.get(qid)
    if question is None:
        return [
            doc.problem(
                loc,
                (
                    f"answer to {qid}, which {checklist.id} v{checklist.version} does not have (kept in the "
                    f"file, not used){suggestion(qid, checklist.questions)}"
                ),
                key=True,
                severity="warning",
            )
        ]
    section = checklist.section_of[qid]
    if section.per_outcome != per_outcome:
        where = "under outcome_answers, per outcome" if section.per_outcome else "under answers, once for the study"
        return [doc.problem(loc, f"{qid} belongs {where} (kept, not used here)", key=True, severity="warning")]
    if code is None or question.kind == "text" or code in question.codes:
        return []
    offered = list(question.codes)
    hint = ""
    if code == NOT_REACHED:
        hint = "; NA is recorded automatically when a question is not asked, so leave it out"
    return [
        doc.problem(
            (*loc, "answer") if (*loc, "answer") in doc.positions else loc,
            (f"{qid} has no answer {code!r} (its answers: {', '.join(offered)}){suggestion(code, offered)}{hint}"),
        )
    ]


def _check_outcomes(appraisal: Appraisal, checklist: Checklist, doc: Document) -> list[Problem]:
    problems: list[Problem] = []
    vocabulary = checklist.outcomes
    seen: set[str] = set()
    for i, outcome in enumerate(appraisal.outcomes):
        if outcome.id in seen:
            problems.append(doc.problem(("outcomes", i, "id"), f"outcome id {outcome.id!r} is used twice"))
        seen.add(outcome.id)
        if vocabulary is None:
            continue
        for name, options in (("type", vocabulary.types), ("finding", vocabulary.findings)):
            value = getattr(outcome, name)
            allowed = [o.code for o in options]
            if value is not None and allowed and value not in allowed:
                problems.append(
                    doc.problem(
                        ("outcomes", i, name),
                        (
                            f"outcome {outcome.id}: {name} {value!r} is not one of {', '.join(allowed)}"
                            f"{suggestion(value, allowed)}"
                        ),
                    )
                )
    return problems


def _check_overrides(appraisal: Appraisal, checklist: Checklist, doc: Document, outcome_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    for key, override in appraisal.overrides.items():
        section_id, outcome_id = unscope(key)
        section = checklist.judged.get(section_id)
        if section is None:
            problems.append(
                doc.problem(
                    ("overrides", key),
                    (
                        f"override for {section_id!r}, which {checklist.id} does not have (kept, not used)"
                        f"{suggestion(section_id, checklist.judged)}"
                    ),
                    key=True,
                    severity="warning",
                )
            )
            continue
        if checklist.judged_per_outcome(section) and not outcome_id:
            problems.append(
                doc.problem(
                    ("overrides", key),
                    (f"{section_id} is judged per outcome: key the override as {section_id}@OUTCOME"),
                    key=True,
                )
            )
        elif outcome_id and outcome_id not in outcome_ids:
            problems.append(
                doc.problem(
                    ("overrides", key),
                    f"override for an outcome {outcome_id!r} that is not in 'outcomes' (kept, not used)",
                    key=True,
                    severity="warning",
                )
            )
        codes = [j.code for j in section.judgements]
        if override.judgement == NOT_APPLICABLE:
            problems.append(
                doc.problem(
                    ("overrides", key, "judgement"),
                    (
                        f"{section_id}: not_applicable is decided by the checklist (from the answers), "
                        "not by an override; remove this override"
                    ),
                )
            )
        elif override.judgement not in codes:
            problems.append(
                doc.problem(
                    ("overrides", key, "judgement"),
                    (
                        f"{section_id} has no judgement {override.judgement!r} (its judgements: {', '.join(codes)})"
                        f"{suggestion(override.judgement, codes)}"
                    ),
                )
            )
    return problems


def new_appraisal(checklist: Checklist, study: Study | None = None, reviewer: str = "") -> Appraisal:
    """A blank appraisal of ``study`` with ``checklist``."""
    return Appraisal(
        checklist=ChecklistRef(id=checklist.id, version=checklist.version),
        study=study or Study(),
        reviewer=reviewer,
    )


def to_yaml(appraisal: Appraisal) -> str:
    """The text of an appraisal file."""
    return to_text(appraisal.to_data())


def to_text(data: dict[str, Any]) -> str:
    """The text of an appraisal file from its plain data (see :meth:`Appraisal.to_data`)."""
    return HEADER + dump(data)


def write_appraisal(path: Path | str, appraisal: Appraisal) -> None:
    """Write an appraisal file atomically (a crash leaves the old file or the new, never half)."""
    atomic_write_text(Path(path), to_yaml(appraisal))


def _signature(path: Path) -> str | None:
    """What the file holds now (its content hash), or None when it is gone."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


class AppraisalStore:
    """The one writer of one appraisal file.

    The app takes a numbered snapshot on its own thread and writes it on another; a lock and the
    revision number make sure an older snapshot can never overwrite a newer one, however the
    threads finish. The store also notices when something else changed the file on disk.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._revision = 0
        self._written = 0
        self._known: str | None = None
        self._last: dict[str, Any] | None = None
        """The data last loaded or snapshot: what the next save's history entry is measured against."""

    def load(self, checklist: Checklist | None = None) -> LoadedAppraisal:
        """Read the file and remember its state on disk."""
        loaded = load_appraisal(self.path, checklist)
        self._known = _signature(self.path)
        self._last = loaded.appraisal.to_data()
        return loaded

    def adopt(self) -> None:
        """Accept the file as it is now on disk as the known state (after the user chose to)."""
        self._known = _signature(self.path)

    def snapshot(self, appraisal: Appraisal) -> tuple[int, str]:
        """A numbered, immutable copy of the appraisal's file text, ready to write from any thread."""
        revision, data = self.snapshot_data(appraisal)
        return revision, to_text(data)

    def snapshot_data(self, appraisal: Appraisal) -> tuple[int, dict[str, Any]]:
        """A numbered copy of the appraisal as plain data (cheap; turn it into text on any thread)."""
        from appraise.review.history import record_save

        with self._lock:
            self._revision += 1
            # Each save that changes something appends who changed what to the file's history.
            data = record_save(self._last, appraisal.to_data(), appraisal)
            self._last = data
            return self._revision, data

    def write(self, revision: int, text: str) -> bool:
        """Write a snapshot; skip it (and return False) if a newer one was already written."""
        with self._lock:
            if revision <= self._written:
                return False
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, text)
            self._written = revision
            self._known = _signature(self.path)
            return True

    def save(self, appraisal: Appraisal) -> bool:
        """Snapshot and write at once (the simple, synchronous path)."""
        return self.write(*self.snapshot(appraisal))

    def changed_on_disk(self) -> bool:
        """True if something other than this store changed or removed the file since we last saw it."""
        if self._known is None:
            return False
        now = _signature(self.path)
        return now != self._known


__all__ = [
    "AppraisalStore",
    "LoadedAppraisal",
    "check_appraisal",
    "load_appraisal",
    "new_appraisal",
    "read_appraisal",
    "to_yaml",
    "write_appraisal",
]
