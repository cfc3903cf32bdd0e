"""The papers an appraisal rests on: attach, hash, find again, and extract their text per page.

PDF text comes from pypdfium2 (PDFium): fast, permissively licensed, and it keeps a two-column
page in reading order (pdfplumber sorts characters by position and so interleaves the columns'
lines). Text, Markdown and HTML files are one page, or one page per form feed. Extracted text is
cached in the data folder's cache by the file's SHA-256, so a paper is read once. Every failure
(no text layer, a password, a damaged file, a missing file) is a :class:`PaperError` whose
message a reader understands.
"""

from __future__ import annotations

import hashlib
import html.parser
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from appraise.core.appraisal import Appraisal, DocumentRef
from appraise.core.quotes import Corpus, check_quotes
from appraise.files import paths
from appraise.files.yamlio import Document, Problem

PDF = {".pdf"}
TEXT = {".txt", ".text", ".md", ".markdown"}
HTML = {".html", ".htm", ".xhtml"}
SUFFIXES = PDF | TEXT | HTML
"""The kinds of file that can be attached."""

ROLES = ("protocol", "supplement", "registry")
"""What the documents besides the paper can be."""

CACHE_VERSION = 1


class PaperError(Exception):
    """A paper that cannot be used; the message says which file, what is wrong and what to do."""


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class PaperText:
    """A document's text, page by page, with its printed page labels."""

    sha256: str
    pages: list[str]
    labels: list[str] = field(default_factory=list)
    title: str = ""
    empty_pages: list[int] = field(default_factory=list)
    """1-based pages without a text layer (a scanned page, a full-page figure)."""

    def to_data(self) -> dict[str, Any]:
        """Plain data for the cache."""
        return {
            "version": CACHE_VERSION,
            "sha256": self.sha256,
            "pages": self.pages,
            "labels": self.labels,
            "title": self.title,
            "empty_pages": self.empty_pages,
        }


# --- extraction --------------------------------------------------------------------------------


def _cache_file(sha256: str) -> Path:
    return paths.cache_dir() / "papers" / f"{sha256}.json"


def extract(path: Path, sha256: str | None = None) -> PaperText:
    """The text of a paper per page, from the cache when this exact file was read before."""
    if not path.is_file():
        raise PaperError(f"{path}: no such file")
    if path.suffix.lower() not in SUFFIXES:
        raise PaperError(
            f"{path}: cannot read a {path.suffix or 'suffix-less'} file; attach a PDF, text, Markdown or HTML file"
        )
    digest = sha256 or sha256_of(path)
    cached = _read_cache(digest)
    if cached is not None:
        return cached
    suffix = path.suffix.lower()
    if suffix in PDF:
        text = _pdf_text(path, digest)
    else:
        text = _plain_text(path, digest, html=suffix in HTML)
    _write_cache(text)
    return text


def _read_cache(sha256: str) -> PaperText | None:
    try:
        data = json.loads(_cache_file(sha256).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or data.get("sha256") != sha256:
        return None
    return PaperText(sha256, list(data["pages"]), list(data["labels"]), str(data["title"]), list(data["empty_pages"]))


def _write_cache(text: PaperText) -> None:
    target = _cache_file(text.sha256)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(text.to_data(), ensure_ascii=False), encoding="utf-8")
        temporary.replace(target)
    except OSError:
        pass  # the cache only saves time; a read-only data folder must not stop anyone


def _pdf_text(path: Path, sha256: str) -> PaperText:
    import pypdfium2 as pdfium  # imported only when a PDF is read: it loads a native library

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        message = str(error).lower()
        if "password" in message or "security" in message:
            raise PaperError(
                f"{path}: the PDF is encrypted with a password; save an unprotected copy and attach that"
            ) from None
        raise PaperError(
            f"{path}: not a readable PDF (it may be damaged or only partly downloaded: {error}); "
            "download it again or attach a text copy"
        ) from None
    try:
        pages: list[str] = []
        labels: list[str] = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
            try:
                label = document.get_page_label(index)
            except (pdfium.PdfiumError, ValueError):
                label = ""
            labels.append(label if label != str(index + 1) else "")
        title = ""
        try:
            title = str(document.get_metadata_value("Title") or "").strip()
        except (pdfium.PdfiumError, ValueError, KeyError, AttributeError):
            title = ""
    except pdfium.PdfiumError as error:
        raise PaperError(f"{path}: the PDF is damaged ({error}); download it again or attach a text copy") from None
    finally:
        document.close()
    empty = [i + 1 for i, text in enumerate(pages) if not text.strip()]
    if pages and len(empty) == len(pages):
        raise PaperError(
            f"{path}: the PDF has no text layer (a scanned paper?); run OCR on it (e.g. ocrmypdf) "
            "and attach the result, or attach a text copy"
        )
    if not pages:
        raise PaperError(f"{path}: the PDF has no pages")
    return PaperText(sha256, pages, labels if any(labels) else [], title, empty)


class _TextOf(html.parser.HTMLParser):
    """The visible text of an HTML page (scripts and styles left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        self._in_title = tag == "title"
        if tag in {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "section", "article"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def _plain_text(path: Path, sha256: str, *, html: bool) -> PaperText:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # never fails; a rare non-UTF-8 text file still reads
    title = ""
    if html:
        parser = _TextOf()
        parser.feed(text)
        text, title = "".join(parser.parts), " ".join(parser.title.split())
    pages = text.split("\f")
    if not "".join(pages).strip():
        raise PaperError(f"{path}: the file has no text")
    return PaperText(sha256, pages, [], title, [i + 1 for i, p in enumerate(pages) if not p.strip()])


# --- attaching and finding again ---------------------------------------------------------------


def stored_path(paper: Path, appraisal_path: Path) -> str:
    """The path to record: relative to the appraisal's folder where it can be, else absolute."""
    paper = paper.resolve()
    folder = appraisal_path.resolve().parent
    try:
        relative = os.path.relpath(paper, folder)
    except ValueError:  # another drive on Windows
        return str(paper)
    return relative if relative.count("..") <= 2 else str(paper)


def attach(appraisal: Appraisal, appraisal_path: Path, paper: Path, role: str | None = None) -> PaperText:
    """Record ``paper`` as the appraisal's main paper (or as a ``role`` document); return its text."""
    if role is not None and role not in ROLES:
        raise PaperError(f"unknown document kind {role!r}; choose one of {', '.join(ROLES)}")
    digest = sha256_of(paper)
    text = extract(paper, digest)
    ref = DocumentRef(path=stored_path(paper, appraisal_path), sha256=digest, pages=len(text.pages))
    if text.title:
        ref.title = text.title
    if role is None:
        appraisal.paper = ref
    else:
        ref.role = role
        appraisal.documents = [d for d in appraisal.documents if d.sha256 != digest] + [ref]
    return text


Whereabouts = Literal["here", "moved", "changed", "missing"]


@dataclass(frozen=True)
class Located:
    """Where an attached document is now."""

    ref: DocumentRef
    path: Path | None
    state: Whereabouts
    """here: where recorded; moved: found by its hash elsewhere in the appraisal's folder;
    changed: a file is where recorded but its content differs; missing: not found."""


def locate(ref: DocumentRef, appraisal_path: Path) -> Located:
    """Find an attached document: where recorded, else by its hash in the appraisal's folder."""
    folder = appraisal_path.resolve().parent
    recorded = Path(ref.path).expanduser()
    if not recorded.is_absolute():
        recorded = folder / recorded
    if recorded.is_file() and (not ref.sha256 or sha256_of(recorded) == ref.sha256):
        return Located(ref, recorded, "here")
    if ref.sha256:
        for candidate in _candidates(folder, recorded.suffix.lower()):
            if candidate != recorded and sha256_of(candidate) == ref.sha256:
                return Located(ref, candidate, "moved")
    if recorded.is_file():
        return Located(ref, recorded, "changed")
    return Located(ref, None, "missing")


def _candidates(folder: Path, suffix: str, depth: int = 2) -> list[Path]:
    """Files in the folder (and a couple of levels down) that could be the document, same suffix first."""
    found: list[Path] = []
    levels = [folder]
    for _ in range(depth + 1):
        following: list[Path] = []
        for level in levels:
            try:
                entries = sorted(level.iterdir())
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir() and not entry.name.startswith("."):
                    following.append(entry)
                elif entry.suffix.lower() in SUFFIXES and entry.is_file():
                    found.append(entry)
        levels = following
    return sorted(found, key=lambda p: p.suffix.lower() != suffix)


@dataclass
class Attached:
    """The documents of an appraisal as found on this machine, with their text."""

    corpus: Corpus
    texts: dict[str, PaperText] = field(default_factory=dict)
    located: dict[str, Located] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    """Per document: why its text is not available (missing, scanned, damaged…)."""


def load_attached(appraisal: Appraisal, appraisal_path: Path) -> Attached:
    """Find and read every attached document; what cannot be read is noted, never raised."""
    refs: list[tuple[str, DocumentRef]] = []
    if appraisal.paper is not None:
        refs.append(("paper", appraisal.paper))
    for document in appraisal.documents:
        refs.append((document.role or "document", document))
    attached = Attached(Corpus())
    if not refs:
        attached.corpus.reason = "no paper attached"
        return attached
    for name, ref in refs:
        where = locate(ref, appraisal_path)
        attached.located[name] = where
        if where.path is None:
            attached.problems[name] = f"{ref.path} is not on this machine"
            continue
        try:
            text = extract(where.path, ref.sha256 if where.state in ("here", "moved") else None)
        except PaperError as error:
            attached.problems[name] = str(error)
            continue
        attached.texts[name] = text
        attached.corpus.add(name, text.pages, text.labels)
    if not attached.corpus.pages:
        attached.corpus.reason = "; ".join(attached.problems.values()) or "no text"
    return attached


def quote_problems(appraisal: Appraisal, appraisal_path: Path, doc: Document) -> list[Problem]:
    """Warnings for quotes not found in the paper or found on another page (none when the paper is absent)."""
    attached = load_attached(appraisal, appraisal_path)
    problems: list[Problem] = []
    for name, located in attached.located.items():
        if located.state == "changed":
            message = (
                f"{located.ref.path} has changed since it was attached (its SHA-256 differs); quotes are "
                "checked against it as it is now, and `appraise attach` records the new version"
            )
            problems.append(doc.problem((name if name == "paper" else "documents",), message, severity="warning"))
    for name, reason in attached.problems.items():
        if attached.located.get(name) is not None and attached.located[name].state != "missing":
            problems.append(doc.problem((name if name == "paper" else "documents",), reason, severity="warning"))
    if not attached.corpus.pages:
        return problems
    paper = attached.located.get("paper")
    named = paper.path.name if paper is not None and paper.path is not None else "the attached documents"
    for (question_id, outcome_id), check in check_quotes(appraisal, attached.corpus).items():
        if check.status not in {"not_found", "elsewhere"}:
            continue
        loc = (
            ("answers", question_id, "quote")
            if outcome_id is None
            else ("outcome_answers", outcome_id, question_id, "quote")
        )
        where = f"{question_id}@{outcome_id}" if outcome_id else question_id
        if check.status == "not_found":
            message = f"the quote for {where} is not in {named}"
        else:
            record = appraisal.answer_record(question_id, outcome_id)
            given = record.page if record else ""
            source = named if check.document == "paper" else f"the {check.document}"
            pages = ", ".join(str(p) for p in check.pages)
            message = f"the quote for {where} is on page {pages} of {source}, not on page {given}"
        problems.append(doc.problem(loc, message, severity="warning"))
    return problems
