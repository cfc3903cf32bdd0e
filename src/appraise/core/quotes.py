"""Quotes checked against a paper's text: normalisation, search, and the page a quote is on.

Text from a PDF and a quote typed by hand differ in ways a reader does not see: ligatures
(``ﬁ``), words broken at a line end (``ran-`` / ``domised``), curly quotes and dashes, runs of
white space, case. Both sides are reduced to one *key* form before comparing, and each key
character remembers where it came from so that a hit can be shown in the original text.

Pages are the PDF's 1-based page indexes. A printed page label (a journal's ``1370``) names the
same page; a range (``4-5``) matches either page; a page that is not a number (``Table 2``) is
checked anywhere. Headless: no Textual, no files.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from appraise.core.appraisal import Answer, Appraisal
from appraise.core.quote_check import QuoteCheck

_HYPHENS = frozenset("-\u2010\u2011\u00ad\u2212\x02")  # \x02: PDFium's mark for a hyphen at a line end
_DASHES = frozenset("\u2012\u2013\u2014\u2015")
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'"}
_QUOTES |= {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "«": '"', "»": '"'}


@dataclass(frozen=True)
class Keyed:
    """Text in key form, with the offset in the original text of every key character."""

    key: str
    offsets: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span for the key span ``start:end``."""
        if not self.offsets:
            return (0, 0)
        end = max(start + 1, end)
        return self.offsets[start], self.offsets[min(end, len(self.offsets)) - 1] + 1


def keyed(text: str, *, spaces: bool = True) -> Keyed:
    """The key form: ligatures expanded, line-end hyphenation joined, hyphens dropped, case and spaces folded.

    With ``spaces=False`` white space is dropped too, so that "intention to treat",
    "intention-to-treat" and a word broken over a line all read the same.
    """
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in _HYPHENS:
            # A hyphen and the line break after it join the two halves of the word; any other
            # hyphen is dropped too, so "double-blind", "double- blind" and "doubleblind" agree.
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            i = j if "\n" in text[i + 1 : j] or "\r" in text[i + 1 : j] else i + 1
            continue
        if char.isspace() or char in _DASHES:
            if spaces and out and out[-1] != " ":
                out.append(" ")
                offsets.append(i)
            i += 1
            continue
        mapped = _QUOTES.get(char)
        if mapped is None:
            mapped = unicodedata.normalize("NFKC", char).casefold() if not char.isascii() else char.lower()
        for piece in mapped:
            if piece.isspace():
                if spaces and out and out[-1] != " ":
                    out.append(" ")
                    offsets.append(i)
            else:
                out.append(piece)
                offsets.append(i)
        i += 1
    while out and out[-1] == " ":
        out.pop()
        offsets.pop()
    return Keyed("".join(out), tuple(offsets))


def readable(text: str) -> str:
    """Page text as one flowing paragraph for display in lists: hyphenation joined, spaces folded."""
    text = re.sub(r"[-\u00ad\x02][ \t]*\r?\n[ \t]*", "", text)
    return " ".join(text.replace("\x02", "").split())


# --- pages -------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^\s*(?:pp?\.?|pages?)?\s*([0-9ivxlcdmIVXLCDM]+)\s*$")
_RANGE = re.compile(
    r"^\s*(?:pp?\.?|pages?)?\s*([0-9ivxlcdm]+)\s*[-\u2010\u2011\u2013\u2014]\s*([0-9ivxlcdm]+)\s*$", re.I
)


def page_indexes(page: str, labels: list[str], count: int) -> set[int] | None:
    """The 1-based page indexes a page field names, or None when it names no page (check anywhere)."""

    def one(token: str) -> set[int]:
        found: set[int] = set()
        if token.isdigit() and 1 <= int(token) <= count:
            found.add(int(token))
        found |= {i + 1 for i, label in enumerate(labels) if label and label.strip().lower() == token.lower()}
        return found

    text = page.strip()
    if not text:
        return None
    match = _RANGE.match(text)
    if match:
        first, last = match.group(1), match.group(2)
        pages = one(first) | one(last)
        if first.isdigit() and last.isdigit() and int(first) <= int(last) <= int(first) + 50:
            for number in range(int(first), int(last) + 1):
                pages |= one(str(number))
        return pages or None
    match = _NUMBER.match(text)
    if match:
        return one(match.group(1)) or None
    return None  # "Table 2", "Methods", "suppl. S3": not a page we can point at


# --- finding -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One page of one document, ready to search."""

    document: str
    """Which document: 'paper', or the role of another document (protocol, supplement, registry)."""
    number: int
    text: str
    keyed: Keyed


@dataclass(frozen=True)
class Hit:
    """Where searched-for text occurs: the page and the span in that page's original text."""

    page: Page
    start: int
    end: int

    def snippet(self, width: int = 70) -> str:
        """The hit with a little context either side, on one line."""
        text = self.page.text
        start, end = max(0, self.start - width // 2), self.end + width // 2
        # Whole words only: move each edge to the nearest space inside the window.
        if start > 0 and (space := text.find(" ", start, self.start)) >= 0:
            start = space + 1
        if end < len(text) and (space := text.rfind(" ", self.end, end)) >= 0:
            end = space
        before = "…" if start > 0 else ""
        after = "…" if end < len(text) else ""
        return before + readable(text[start:end]) + after


def make_pages(document: str, texts: list[str]) -> list[Page]:
    """Pages of one document in key form (done once per paper)."""
    return [Page(document, i + 1, text, keyed(text, spaces=False)) for i, text in enumerate(texts)]


def search(query: str, pages: list[Page]) -> list[Hit]:
    """Every occurrence of ``query`` in the pages, ignoring case, hyphenation, ligatures and spacing."""
    needle = keyed(query, spaces=False).key
    if not needle:
        return []
    hits: list[Hit] = []
    for page in pages:
        start = page.keyed.key.find(needle)
        while start >= 0:
            s, e = page.keyed.span(start, start + len(needle))
            hits.append(Hit(page, s, e))
            start = page.keyed.key.find(needle, start + len(needle))
    return hits


FUZZY_FLOOR = 90.0
"""How close a hand-typed quote must come to the paper's text (rapidfuzz partial ratio, 0-100)."""

SHORT_QUOTE = 16
"""Quotes shorter than this (in key characters) must match exactly: a fuzzy match of few letters means little."""


@dataclass
class Corpus:
    """The text of every attached document, split into pages, for checking quotes."""

    pages: list[Page] = field(default_factory=list)
    labels: dict[str, list[str]] = field(default_factory=dict)
    """Printed page labels per document (empty strings where a page has none)."""
    reason: str = ""
    """Why there is nothing to check against, when ``pages`` is empty."""

    def add(self, document: str, texts: list[str], labels: list[str] | None = None) -> None:
        """Add one document's pages."""
        self.pages.extend(make_pages(document, texts))
        self.labels[document] = list(labels or [])

    def documents(self) -> list[str]:
        """The documents in the order they were added (the paper first)."""
        return list(self.labels)

    def of(self, document: str) -> list[Page]:
        """The pages of one document."""
        return [p for p in self.pages if p.document == document]

    def check(self, quote: str, page: str = "") -> QuoteCheck:
        """Check one quote (and the page it is said to be on) against every document."""
        needle = keyed(quote, spaces=False).key
        if not needle:
            return QuoteCheck("unchecked", reason="no quote")
        if not self.pages:
            return QuoteCheck("unchecked", reason=self.reason or "no paper attached")
        best: QuoteCheck | None = None
        for document in self.documents():
            pages = self.of(document)
            found, score = _locate(needle, pages)
            if not found:
                continue
            wanted = page_indexes(page, self.labels.get(document, []), len(pages))
            if wanted is None or wanted & set(found):
                on = tuple(sorted(wanted & set(found))) if wanted else tuple(found)
                return QuoteCheck("found", on, document, score)
            if best is None:
                best = QuoteCheck("elsewhere", tuple(found), document, score)
        return best or QuoteCheck("not_found")


def _locate(needle: str, pages: list[Page]) -> tuple[list[int], float]:
    """The pages that hold the needle (exactly, or fuzzily for a long enough quote), and the best score."""
    exact = [p.number for p in pages if needle in p.keyed.key]
    if exact:
        return exact, 100.0
    # A quote may run over a page break: try each join of one page's end with the next page's start.
    joins = [
        (pages[i].number, pages[i + 1].number, pages[i].keyed.key[-len(needle) :] + pages[i + 1].keyed.key)
        for i in range(len(pages) - 1)
    ]
    for first, second, text in joins:
        if needle in text[: 2 * len(needle)]:
            return [first, second], 100.0
    if len(needle) < SHORT_QUOTE:
        return [], 0.0
    from rapidfuzz import fuzz  # only a quote that is not found verbatim needs it

    scored = [(fuzz.partial_ratio(needle, p.keyed.key, score_cutoff=FUZZY_FLOOR), p.number) for p in pages]
    top = max((score for score, _ in scored), default=0.0)
    if top < FUZZY_FLOOR:
        return [], 0.0
    return [number for score, number in scored if score >= top - 0.5], top


def appraisal_quotes(appraisal: Appraisal) -> list[tuple[str, str | None, Answer]]:
    """Every answer with a quote: (question id, outcome id or None, answer)."""
    found: list[tuple[str, str | None, Answer]] = [(q, None, a) for q, a in appraisal.answers.items() if a.quote]
    for outcome_id, answers in appraisal.outcome_answers.items():
        found.extend((q, outcome_id, a) for q, a in answers.items() if a.quote)
    return found


def check_quotes(appraisal: Appraisal, corpus: Corpus) -> dict[tuple[str, str | None], QuoteCheck]:
    """Each quoted answer's check, by (question id, outcome id)."""
    return {(q, o): corpus.check(a.quote, a.page) for q, o, a in appraisal_quotes(appraisal)}
