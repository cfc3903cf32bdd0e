"""Find and load checklists: bundled ones first, then the user's, with line-numbered errors.

Loading tells a checklist author everything at once: YAML syntax, the shape of the file (unknown
keys with "did you mean …?"), and the cross-references in rules, which
:mod:`appraise.files.checklist_checks` checks.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appraise.core.checklist import Checklist
from appraise.core.hints import suggestion
from appraise.files import paths
from appraise.files.problems import FileProblems, Problem
from appraise.files.validation import describe, validate
from appraise.files.yamlio import Document, Loc, read_document

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ChecklistEntry:
    """A checklist file found on disk, and where it came from."""

    id: str
    path: Path
    origin: str
    """``bundled`` or ``user``."""


def load_checklist(ref: str | Path) -> Checklist:
    """Load a checklist by bundled/user id (``"peer-support"``, ``"rob2"``) or by file path.

    Raises :class:`~appraise.files.yamlio.FileProblems` listing every problem in the file, or
    :class:`LookupError` when no checklist has that id.
    """
    path = Path(ref)
    if isinstance(ref, Path) or path.suffix in SUFFIXES or len(path.parts) > 1:
        return load_checklist_file(path)
    return load_checklist_file(find_checklist(str(ref)).path)


def find_checklist(checklist_id: str) -> ChecklistEntry:
    """The file of the checklist with this id: the user's copy wins over the bundled one.

    Files are usually named after their id, which makes the lookup cheap; a file with another
    name is found by the id inside it, and still takes precedence by folder.
    """
    for folder, origin in _folders():
        for suffix in SUFFIXES:
            candidate = folder / f"{checklist_id}{suffix}"
            if candidate.is_file() and _peek_id(candidate) == checklist_id:
                return ChecklistEntry(checklist_id, candidate, origin)
        for candidate in sorted(folder.iterdir()) if folder.is_dir() else ():
            if candidate.suffix in SUFFIXES and candidate.is_file() and _peek_id(candidate) == checklist_id:
                return ChecklistEntry(checklist_id, candidate, origin)
    entries = {entry.id: entry for entry in available_checklists()}
    raise LookupError(
        f"no checklist with id {checklist_id!r}{suggestion(checklist_id, entries)} "
        f"(available: {', '.join(sorted(entries)) or 'none'})"
    )


def available_checklists() -> list[ChecklistEntry]:
    """Every checklist file, user ones overriding bundled ones of the same id, sorted by id.

    Ids are read from the files (cheaply, without validating); a file that cannot be read is
    listed under its file name so that ``appraise checklists`` can report it.
    """
    found: dict[str, ChecklistEntry] = {}
    for folder, origin in reversed(list(_folders())):
        for path in sorted(folder.iterdir()) if folder.is_dir() else ():
            if path.suffix in SUFFIXES and path.is_file() and not path.name.startswith("."):
                found[_peek_id(path)] = ChecklistEntry(_peek_id(path), path, origin)
    return sorted(found.values(), key=lambda e: e.id)


def _folders() -> Iterator[tuple[Path, str]]:
    yield paths.user_checklists(), "user"
    yield paths.bundled("checklists"), "bundled"


def _peek_id(path: Path) -> str:
    """The ``id:`` line of a checklist file without parsing the whole file."""
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("id:"):
                    return line[3:].split("#")[0].strip().strip("'\"") or path.stem
    except (OSError, UnicodeDecodeError):
        pass
    return path.stem


_CACHE: dict[tuple[str, int, int], Checklist] = {}


def load_checklist_file(path: Path | str) -> Checklist:
    """Load and validate one checklist file (cached while the file is unchanged)."""
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise FileProblems([Problem(str(path), 0, 0, "no such file")]) from None
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        from appraise.files import cache

        checklist = cache.load(path, Checklist)
        if checklist is None:
            checklist = parse_checklist(read_document(path))
            cache.store(path, checklist)
        checklist._path = str(path)
        _CACHE[key] = checklist
    return _CACHE[key]


def parse_checklist(doc: Document) -> Checklist:
    """Validate a checklist document: shape first, then every cross-reference."""
    # Here, not at import: a command that finds its checklists in the cache never needs the checks.
    from appraise.files.checklist_checks import check_references

    problems, unresolved = _resolve_answer_sets(doc)
    try:
        checklist = validate(doc, Checklist)
    except FileProblems as error:
        raise FileProblems([*problems, *error.problems]) from None
    problems += check_references(doc, checklist, unresolved)
    if problems:
        raise FileProblems(problems)
    return checklist


_UNRESOLVED = [{"code": "?", "label": "(unknown answer set)"}]
"""Stands in for a misnamed answer set, so that one typo is reported once, not once per use."""


def _resolve_answer_sets(doc: Document) -> tuple[list[Problem], set[str]]:
    """Replace ``options: ypnu`` by the answer set it names (before the models see it)."""
    data = doc.data
    if not isinstance(data, dict):
        return [], set()
    found = data.get("answer_sets")
    sets: dict[str, Any] = found if isinstance(found, dict) else {}
    problems: list[Problem] = []
    unresolved: set[str] = set()
    sections = data.get("sections")
    for i, section in enumerate(sections if isinstance(sections, list) else []):  # a wrong shape: the model says so
        if not isinstance(section, dict):
            continue
        questions = section.get("questions")
        for j, question in enumerate(questions if isinstance(questions, list) else []):
            if isinstance(question, dict) and isinstance(question.get("options"), str):
                name = question["options"]
                loc: Loc = ("sections", i, "questions", j, "options")
                if name in sets:
                    question["options"] = copy.deepcopy(sets[name])
                    _copy_positions(doc, ("answer_sets", name), loc)
                else:
                    question["options"] = copy.deepcopy(_UNRESOLVED)
                    unresolved.add(str(question.get("id")))
                    problems.append(
                        doc.problem(
                            loc,
                            f"{describe(loc, data)}: no answer set named {name!r}"
                            f"{suggestion(name, sets)} (answer sets: {', '.join(sets) or 'none'})",
                        )
                    )
    return problems, unresolved


def _copy_positions(doc: Document, source: Loc, target: Loc) -> None:
    # Errors inside a shared answer set point at the set's definition, where the fix belongs.
    for loc, position in list(doc.positions.items()):
        if loc[: len(source)] == source and len(loc) > len(source):
            doc.positions[(*target, *loc[len(source) :])] = position
