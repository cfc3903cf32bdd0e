"""Reference import: one new appraisal per reference of a RIS or BibTeX file, duplicates skipped.

A reference is a duplicate of another when both have a DOI and the DOIs match (case and any
``https://doi.org/`` prefix aside), or, when either has no DOI, when their titles match once
accents, case, punctuation and spacing are set aside. References are checked against each other
and against the appraisals already in the target folder. Existing files are never overwritten.
"""

from __future__ import annotations

import contextlib
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appraise.core.appraisal import Study, slugify
from appraise.core.checklist import Checklist
from appraise.core.text import one_line
from appraise.files.store import new_appraisal, read_appraisal, write_appraisal
from appraise.files.yamlio import FileProblems, Problem

FORMATS = {".ris": "ris", ".bib": "bibtex"}


@dataclass(frozen=True)
class Reference:
    """One reference read from a file, with where it starts (for messages)."""

    study: Study
    line: int
    key: str = ""

    @property
    def doi(self) -> str:
        """The DOI as compared for duplicates: lower case, without a resolver prefix."""
        return normalise_doi(self.study.doi)

    @property
    def title(self) -> str:
        """The title as compared for duplicates."""
        return normalise_title(self.study.title)


@dataclass
class ImportResult:
    """What an import did: files created, references skipped (with why), and entries that could not be read."""

    created: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalise_doi(doi: str) -> str:
    """``https://doi.org/10.1000/ABC`` and ``10.1000/abc`` are the same DOI (DOIs ignore case)."""
    return _DOI_PREFIX.sub("", doi.strip()).strip().lower()


def normalise_title(title: str) -> str:
    """Titles compared without accents, case, punctuation or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", title)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


# --- reading references ---------------------------------------------------------------------------


def read_references(path: Path) -> tuple[list[Reference], list[Problem]]:
    """The references in a .ris or .bib file, and the entries that could not be read (with their lines)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [Problem(str(path), 0, 0, f"not UTF-8 text ({error.reason}); save the file as UTF-8")]
    if FORMATS.get(path.suffix.lower()) == "ris":
        return _read_ris(str(path), text)
    return _read_bibtex(str(path), text)


_RIS_START = re.compile(r"^TY  -")


def _read_ris(name: str, text: str) -> tuple[list[Reference], list[Problem]]:
    import rispy  # type: ignore[import-untyped]  # rispy ships no type information

    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _RIS_START.match(line)]
    references: list[Reference] = []
    problems: list[Problem] = []
    if not starts:
        problems.append(Problem(name, 0, 0, "no RIS references found (each starts with a 'TY  - ' line)"))
    # One reference at a time, so that each keeps its line number and a missing end tag costs only that one.
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        records = rispy.loads("\n".join(lines[start:end]))
        if not records:
            problems.append(Problem(name, start + 1, 1, "reference has no end tag ('ER  - '); skipped"))
            continue
        record: dict[str, Any] = records[0]
        authors = record.get("authors") or record.get("first_authors") or []
        pages = "-".join(p for p in (_text(record.get("start_page")), _text(record.get("end_page"))) if p)
        year = _year(" ".join(_text(record.get(k)) for k in ("year", "publication_year", "date") if record.get(k)))
        journal = next(
            (
                _text(record[k])
                for k in ("secondary_title", "journal_name", "alternate_title3", "alternate_title1")
                if record.get(k)
            ),
            "",
        )
        study = Study(
            title=_text(record.get("title") or record.get("primary_title")),
            authors="; ".join(_text(a) for a in authors),
            year=year,
            doi=_DOI_PREFIX.sub("", _text(record.get("doi"))).strip(),
            citation=citation(journal, year, _text(record.get("volume")), _text(record.get("number")), pages),
        )
        references.append(Reference(study, start + 1, _text(record.get("id"))))
    return references, problems


@contextlib.contextmanager
def _quiet(logger: str) -> Iterator[None]:
    # bibtexparser logs every broken block to stderr; the failed blocks carry the same news, with lines.
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def _read_bibtex(name: str, text: str) -> tuple[list[Reference], list[Problem]]:
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware, NormalizeFieldKeys, SeparateCoAuthors

    # Decode LaTeX (\"u -> ü) but keep braces until the authors are split, so that a braced
    # "{Barnes and Noble}" stays one author; braces are dropped afterwards.
    stack = [NormalizeFieldKeys(), LatexDecodingMiddleware(keep_braced_groups=True), SeparateCoAuthors()]
    with _quiet("bibtexparser"):
        # The documented entry point; bibtexparser re-exports it without listing it in __all__.
        library = bibtexparser.parse_string(text, append_middleware=stack)  # type: ignore[attr-defined]
    problems = []
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        reason = getattr(block.error, "abort_reason", "") or str(block.error) or "could not be parsed"
        reason = reason.strip().rstrip(".")
        problems.append(Problem(name, line, 1, f"BibTeX entry not read: {_unbrace(reason)}; skipped"))
    references = []
    for entry in library.entries:
        fields = {f.key: f.value for f in entry.fields}
        authors = fields.get("author") or fields.get("editor") or []
        if isinstance(authors, str):
            authors = [authors]
        year = _year(_field(fields, "year") or _field(fields, "date"))
        journal = _field(fields, "journal") or _field(fields, "journaltitle") or _field(fields, "booktitle")
        study = Study(
            title=_field(fields, "title"),
            authors="; ".join(_unbrace(str(a)) for a in authors),
            year=year,
            doi=_DOI_PREFIX.sub("", _field(fields, "doi")).strip(),
            citation=citation(
                journal,
                year,
                _field(fields, "volume"),
                _field(fields, "number"),
                _field(fields, "pages").replace("--", "-").replace("–", "-"),
            ),
        )
        references.append(Reference(study, (entry.start_line or 0) + 1, entry.key))
    if not references and not problems:
        problems.append(Problem(name, 0, 0, "no BibTeX entries found (each starts with '@article{…' or similar)"))
    return references, problems


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return " ".join(str(value or "").split())


def _field(fields: dict[str, Any], key: str) -> str:
    return _unbrace(_text(fields.get(key)))


def _unbrace(text: str) -> str:
    return " ".join(text.replace("{", "").replace("}", "").split())


def _year(text: str) -> str:
    found = re.search(r"\b(1[5-9]\d\d|2\d\d\d)\b", text)
    return found.group(1) if found else ""


def citation(journal: str, year: str, volume: str, number: str, pages: str) -> str:
    """A Vancouver-style source line: ``J Ment Health. 2020;29(3):45-67`` (empty without a journal or book)."""
    if not journal:
        return ""
    issue = volume + (f"({number})" if number else "")
    tail = ";".join(part for part in (year, issue) if part)
    if pages:
        tail = f"{tail}:{pages}" if tail else pages
    return ". ".join(part for part in (journal, tail) if part)


# --- importing ------------------------------------------------------------------------------------


class _Seen:
    """References already known (in the folder or earlier in the file), for the duplicate rules."""

    def __init__(self) -> None:
        self.dois: dict[str, str] = {}
        self.titles: dict[str, list[tuple[str, str]]] = {}

    def add(self, doi: str, title: str, where: str) -> None:
        if doi:
            self.dois.setdefault(doi, where)
        if title:
            self.titles.setdefault(title, []).append((where, doi))

    def duplicate(self, doi: str, title: str) -> str | None:
        """Why this is a duplicate ("same DOI as …"), or None."""
        if doi and doi in self.dois:
            return f"same DOI as {self.dois[doi]}"
        for where, other in self.titles.get(title, []) if title else []:
            if not doi or not other:
                return f"same title as {where}"
        return None


def import_references(path: Path, checklist: Checklist, folder: Path) -> ImportResult:
    """Create one appraisal per new reference in ``folder``; skip duplicates; never overwrite a file."""
    result = ImportResult()
    references, result.problems = read_references(path)
    seen = _Seen()
    folder.mkdir(parents=True, exist_ok=True)
    for existing in _existing(folder, result):
        seen.add(normalise_doi(existing[1].doi), normalise_title(existing[1].title), str(existing[0]))
    for ref in references:
        where = f"{path}:{ref.line}"
        if not (ref.study.title or ref.study.doi):
            result.skipped.append(f"{where}: skipped: no title and no DOI")
            continue
        reason = seen.duplicate(ref.doi, ref.title)
        if reason:
            result.skipped.append(f"{where}: skipped {_name(ref)}: duplicate ({reason})")
            continue
        target = _write_new(folder, ref, checklist)
        seen.add(ref.doi, ref.title, f"{where} (now {target.name})")
        result.created.append(target)
    return result


def _name(ref: Reference) -> str:
    name = ref.study.label if ref.study.authors else repr(one_line(ref.study.title, 60))
    return name + (f" [{ref.key}]" if ref.key else "")


def _existing(folder: Path, result: ImportResult) -> Iterator[tuple[Path, Study]]:
    from appraise.files.walker import yaml_files

    for path in yaml_files([folder]):
        try:
            appraisal, _ = read_appraisal(path)
        except FileProblems as error:
            # Not an appraisal (or a broken one): it cannot be a duplicate we know of; say so once.
            first = error.problems[0]
            result.warnings.append(
                Problem(first.path, first.line, first.column, f"not checked for duplicates: {first.message}", "warning")
            )
            continue
        except OSError:
            continue
        yield path, appraisal.study


def _write_new(folder: Path, ref: Reference, checklist: Checklist) -> Path:
    """Write the appraisal under a name nobody has taken; claiming the name first means nothing is overwritten."""
    base = slugify(f"{ref.study.label} {ref.study.title}", "reference")
    n = 1
    while True:
        target = folder / (f"{base}.yaml" if n == 1 else f"{base}-{n}.yaml")
        try:
            target.open("x").close()  # exclusive create: fails if the name exists, even in a race
        except FileExistsError:
            n += 1
            continue
        try:
            write_appraisal(target, new_appraisal(checklist, ref.study))
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target
