"""Reference import: one new appraisal per reference of a RIS or BibTeX file, duplicates skipped.

A reference is a duplicate of another when both have a DOI and the DOIs match (case and any
``https://doi.org/`` prefix aside), or, when either has no DOI, when their titles match once
accents, case, punctuation and spacing are set aside. References are checked against each other
and against the appraisals already in the target folder. Existing files are never overwritten.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appraise.core.appraisal import Study, slugify
from appraise.core.checklist import Checklist
from appraise.core.text import one_line
from appraise.files.atomic import folder_lock
from appraise.files.problems import FileProblems, Problem
from appraise.files.store import new_appraisal, read_appraisal, to_yaml

FORMATS = {".ris": "ris", ".bib": "bibtex", ".nbib": "nbib", ".txt": "tagged"}


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
    """The references in a reference file, and the entries that could not be read (with their lines)."""
    from appraise.files import reference_formats as formats

    name = str(path)
    text, notes = formats.decode(name, path.read_bytes())
    if not text and notes:
        return [], notes
    kind = FORMATS.get(path.suffix.lower())
    if kind in ("ris", "tagged") and formats.looks_like_wos(text):
        references, problems = _read_tagged(name, formats.wos_records(text), _wos_study)
    elif kind == "nbib" or (kind == "tagged" and re.search(r"^PMID-", text, re.M)):
        references, problems = _read_tagged(name, formats.nbib_records(text), _nbib_study)
    elif kind == "tagged":
        references, problems = (
            [],
            [Problem(name, 1, 1, "not a Web of Science or PubMed tagged export; export as RIS, BibTeX or .nbib")],
        )
    elif kind == "ris":
        references, problems = _read_ris(name, formats.normalise_ris(text))
    else:
        references, problems = _read_bibtex(name, text)
    return references, [*notes, *problems]


def _read_tagged(
    name: str, records: Iterator[tuple[int, dict[str, list[str]]]], build: Any
) -> tuple[list[Reference], list[Problem]]:
    references = [Reference(build(record), line) for line, record in records]
    references = [r for r in references if r.study.title or r.study.doi]
    problems = [] if references else [Problem(name, 1, 1, "no references found in this tagged export")]
    return references, problems


def _first(record: dict[str, list[str]], *tags: str) -> str:
    return next((" ".join(record[t][0].split()) for t in tags if record.get(t) and record[t][0].strip()), "")


def _nbib_study(record: dict[str, list[str]]) -> Study:
    """A PubMed MEDLINE record: TI, FAU/AU, DP, JT/TA, VI, IP, PG, and the DOI from LID/AID."""
    doi = next((v.split()[0] for t in ("LID", "AID") for v in record.get(t, []) if v.endswith("[doi]")), "")
    year = _year(_first(record, "DP"))
    journal = _first(record, "JT", "TA")
    return Study(
        title=_first(record, "TI", "BTI"),
        authors="; ".join(record.get("FAU") or record.get("AU") or []),
        year=year,
        doi=doi,
        citation=citation(journal, year, _first(record, "VI"), _first(record, "IP"), _first(record, "PG")),
    )


def _wos_study(record: dict[str, list[str]]) -> Study:
    """A Web of Science record: TI, AU/AF, PY, SO, VL, IS, BP-EP, DI."""
    year = _year(_first(record, "PY", "EA"))
    pages = "-".join(p for p in (_first(record, "BP"), _first(record, "EP")) if p)
    return Study(
        title=_first(record, "TI"),
        authors="; ".join(record.get("AU") or record.get("AF") or []),
        year=year,
        doi=_first(record, "DI"),
        citation=citation(_first(record, "SO", "J9"), year, _first(record, "VL"), _first(record, "IS"), pages),
    )


_RIS_START = re.compile(r"^TY  -")
_RIS_END = re.compile(r"^ER  -")


def _read_ris(name: str, text: str) -> tuple[list[Reference], list[Problem]]:
    import rispy  # type: ignore[import-untyped]  # rispy ships no type information

    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _RIS_START.match(line)]
    references: list[Reference] = []
    problems: list[Problem] = []
    if not starts:
        return [], [Problem(name, 1, 1, "no RIS references found (each starts with a 'TY  - ' line)")]
    # One reference at a time, so that each keeps its line number and a missing end tag costs only that one.
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        # rispy reads lines after 'ER' as the last tag's continuation, and fails on them: stop at ER.
        stop = next((i + 1 for i in range(start, end) if _RIS_END.match(lines[i])), end)
        stray = next((i for i in range(stop, end) if lines[i].strip()), None)
        if stray is not None:
            problems.append(
                Problem(
                    name,
                    stray + 1,
                    1,
                    "text after a reference's 'ER  - ' and before the next 'TY  - ' is not read",
                    "warning",
                )
            )
        try:
            records = rispy.loads("\n".join(lines[start:stop]))
        except (KeyError, ValueError, IndexError) as error:  # rispy's own errors on a broken record
            problems.append(Problem(name, start + 1, 1, f"reference could not be read ({error!r}); skipped"))
            continue
        if not records:
            problems.append(Problem(name, start + 1, 1, "reference has no end tag ('ER  - '); skipped"))
            continue
        record: dict[str, Any] = records[0]
        authors = record.get("authors") or record.get("first_authors") or []
        pages = "-".join(p for p in (_text(record.get("start_page")), _text(record.get("end_page"))) if p)
        year = _year(" ".join(_text(record.get(k)) for k in ("year", "publication_year", "date") if record.get(k)))
        title = _text(record.get("title") or record.get("primary_title"))
        journal_keys: tuple[str, ...] = (
            "secondary_title",
            "journal_name",
            "alternate_title3",
            "alternate_title1",
            "alternate_title2",
        )
        if not title:  # only a short title (ST) or a secondary title (T2): keep the record, titled by it
            title = _text(record.get("short_title") or record.get("secondary_title"))
            journal_keys = journal_keys[1:] if not record.get("short_title") else journal_keys
        journal = next((_text(record[k]) for k in journal_keys if record.get(k)), "")
        study = Study(
            title=title,
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
    from bibtexparser.model import DuplicateBlockKeyBlock

    class LenientLatexDecoding(LatexDecodingMiddleware):
        """LaTeX decoding that keeps a field's raw text when it cannot be decoded.

        bibtexparser drops the whole entry when any field fails (often an abstract or a note,
        which appraise never reads); one odd field must not cost the reference.
        """

        def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
            value, error = super()._transform_python_value_string(python_string)
            return (python_string, "") if error else (value, "")

    # Decode LaTeX (\"u -> ü) but keep braces until the authors are split, so that a braced
    # "{Barnes and Noble}" stays one author; braces are dropped afterwards.
    stack = [NormalizeFieldKeys(), LenientLatexDecoding(keep_braced_groups=True), SeparateCoAuthors()]
    with _quiet("bibtexparser"):
        # The documented entry point; bibtexparser re-exports it without listing it in __all__.
        library = bibtexparser.parse_string(text, append_middleware=stack)  # type: ignore[attr-defined]
    problems = []
    entries = [((entry.start_line or 0) + 1, entry) for entry in library.entries]
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock) and block.raw:
            # Two entries with one key: a slip in the export, not a reason to lose either reference.
            with _quiet("bibtexparser"):
                again = bibtexparser.parse_string(block.raw, append_middleware=stack)  # type: ignore[attr-defined]
            entries += [(line, entry) for entry in again.entries]
            problems.append(
                Problem(name, line, 1, f"BibTeX key {block.key!r} is used twice; both entries are read", "warning")
            )
            continue
        reason = getattr(block.error, "abort_reason", "") or str(block.error) or "could not be parsed"
        reason = reason.strip().rstrip(".")
        problems.append(Problem(name, line, 1, f"BibTeX entry not read: {_unbrace(reason)}; skipped"))
    references = []
    for start, entry in sorted(entries, key=lambda item: item[0]):
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
        references.append(Reference(study, start, entry.key))
    if not references and not problems:
        problems.append(Problem(name, 1, 1, "no BibTeX entries found (each starts with '@article{…' or similar)"))
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


def first_author(authors: str) -> str:
    """The first author's surname, compared without accents or case (``Kowalski, Ż.`` → ``kowalski``)."""
    first = re.split(r";| and ", authors, maxsplit=1)[0].strip()
    surname = (
        first.split(",")[0]
        if "," in first
        else (first.split() or [""])[-1 if len(first.split()) > 1 and len(first.split()[-1]) > 2 else 0]
    )
    return normalise_title(surname)


@dataclass
class _Known:
    where: str
    doi: str
    title: str
    year: str
    author: str


TITLE_SIMILARITY = 95.0
"""rapidfuzz ratio (0-100) above which two titles count as one: punctuation, a typo, a trailing period."""


class _Seen:
    """References already known (in the folder or earlier in the file), for the duplicate rules.

    Same DOI is a duplicate. Without a DOI on either side, a duplicate needs a title that is the
    same or nearly (rapidfuzz), the same year and the same first author, where both give them:
    two "Personal communication" entries by different people, or a conference paper and its
    journal version a year later, are two references.
    """

    def __init__(self) -> None:
        self.dois: dict[str, str] = {}
        self.known: list[_Known] = []

    def add(self, study: Study, where: str) -> None:
        doi = normalise_doi(study.doi)
        if doi:
            self.dois.setdefault(doi, where)
        title = normalise_title(study.title)
        if title:
            self.known.append(_Known(where, doi, title, study.year, first_author(study.authors)))

    def duplicate(self, study: Study) -> str | None:
        """Why this is a duplicate ("same DOI as …"), or None."""
        from rapidfuzz import fuzz

        doi = normalise_doi(study.doi)
        if doi and doi in self.dois:
            return f"same DOI as {self.dois[doi]}"
        title = normalise_title(study.title)
        if not title:
            return None
        author = first_author(study.authors)
        for known in self.known:
            if doi and known.doi:
                continue  # both have DOIs and they differ: two works
            if study.year and known.year and study.year != known.year:
                continue
            if author and known.author and author != known.author:
                continue
            if re.findall(r"\d+", title) != re.findall(r"\d+", known.title):
                continue  # "Study 1" and "Study 10", "QPR-10" and "QPR-15": numbers tell works apart
            if title == known.title or fuzz.ratio(title, known.title) >= TITLE_SIMILARITY:
                return f"same title, year and first author as {known.where}"
        return None


def import_references(path: Path, checklist: Checklist, folder: Path) -> ImportResult:
    """Create one appraisal per new reference in ``folder``; skip duplicates; never overwrite a file.

    Imports into one folder take turns (a lock on the folder), each file is written whole or not
    at all, and a rerun after an interruption skips what was already created, so nothing doubles.
    """
    result = ImportResult()
    references, found = read_references(path)
    result.problems = [p for p in found if p.severity == "error"]
    result.warnings = [p for p in found if p.severity != "error"]
    seen = _Seen()
    folder.mkdir(parents=True, exist_ok=True)
    with folder_lock(folder):
        _clean_interrupted(folder)
        for existing_path, existing in _existing(folder, result):
            seen.add(existing, str(existing_path))
        for ref in references:
            where = f"{path}:{ref.line}"
            if not (ref.study.title or ref.study.doi):
                result.skipped.append(f"{where}: skipped: no title and no DOI")
                continue
            reason = seen.duplicate(ref.study)
            if reason:
                result.skipped.append(f"{where}: skipped {_name(ref)}: duplicate ({reason})")
                continue
            target = _write_new(folder, ref, checklist)
            seen.add(ref.study, f"{where} (now {target.name})")
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


_TEMP_PREFIX = ".import-"


def _clean_interrupted(folder: Path) -> None:
    """Remove what an import killed half-way left: its temporary files, and empty appraisal files."""
    for temp in folder.glob(f"{_TEMP_PREFIX}*.tmp"):
        temp.unlink(missing_ok=True)
    for empty in folder.glob("*.yaml"):
        with contextlib.suppress(OSError):
            if empty.stat().st_size == 0:
                empty.unlink()  # older versions claimed the name before writing; nothing is lost


def _write_new(folder: Path, ref: Reference, checklist: Checklist) -> Path:
    """Write the appraisal whole under a name nobody has taken (a kill leaves no empty or half file).

    The text goes to a temporary file first, then is hard-linked to the free name: linking fails
    if the name exists, even in a race, so nothing is ever overwritten.
    """
    import tempfile

    base = slugify(f"{ref.study.label} {ref.study.title}", "reference")
    fd, temp = tempfile.mkstemp(dir=folder, prefix=_TEMP_PREFIX, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(to_yaml(new_appraisal(checklist, ref.study)))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        n = 1
        while True:
            target = folder / (f"{base}.yaml" if n == 1 else f"{base}-{n}.yaml")
            try:
                os.link(temp, target)
            except FileExistsError:
                n += 1
                continue
            except OSError:  # no hard links here (FAT, some network drives): claim, then fill
                try:
                    with target.open("x", encoding="utf-8") as handle:
                        handle.write(Path(temp).read_text(encoding="utf-8"))
                except FileExistsError:
                    n += 1
                    continue
            return target
    finally:
        Path(temp).unlink(missing_ok=True)
