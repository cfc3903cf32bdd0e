"""Where to look: the passages of a paper that best match a question's ``look_for`` cues.

Passages are a few sentences of one page; they are ranked with BM25 (the bm25s library, with the
Snowball English stemmer from PyStemmer so that "concealed" finds "concealment"). The ranking only
points at text to read: it never answers a question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from appraise.core.quotes import Page, keyed, readable

_SENTENCE = re.compile(r"(?<=[.!?;:])\s+(?=[\"'(\[A-Z0-9])")
_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    "a an and are as at be been but by for from had has have in into is it its of on or that the their "
    "there these they this those to was were which while who will with".split()
)

SENTENCES_PER_PASSAGE = 3
"""Sentences in one passage; passages overlap by one sentence so a cue near a boundary is not split."""


@dataclass(frozen=True)
class Passage:
    """A few consecutive sentences of one page."""

    document: str
    page: int
    text: str


def paragraphs(text: str) -> list[str]:
    """A page's text cut into paragraphs and headings, from where its lines end short.

    PDF text has a line break at every printed line; a line much shorter than the page's usual
    line ends a paragraph, or is a heading. Blank lines (text and Markdown papers) end one too.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if not lengths:
        return []
    usual = lengths[len(lengths) // 2]
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if current:
                blocks.append(readable("\n".join(current)))
                current = []
            continue
        short = len(stripped) < 0.6 * usual and not stripped.endswith(("-", "\x02"))
        if short and not stripped.endswith((".", "!", "?", ":", ";", ")")):
            # A heading: a block of its own, so a passage never runs into the next section.
            if current:
                blocks.append(readable("\n".join(current)))
            blocks.append(stripped)
            current = []
            continue
        current.append(line)
        if short:  # the last line of a paragraph
            blocks.append(readable("\n".join(current)))
            current = []
    if current:
        blocks.append(readable("\n".join(current)))
    return [block for block in blocks if block]


def split_passages(pages: Iterable[Page], size: int = SENTENCES_PER_PASSAGE) -> list[Passage]:
    """Each paragraph cut into overlapping runs of ``size`` sentences (a passage never spans paragraphs)."""
    found: list[Passage] = []
    step = max(1, size - 1)
    for page in pages:
        for block in paragraphs(page.text):
            if len(block) < 80 and not block.endswith((".", "!", "?")):
                continue  # a heading: it says where to look, but there is nothing in it to quote
            sentences = [s for s in _SENTENCE.split(block) if s.strip()]
            for start in range(0, max(1, len(sentences) - 1), step):
                text = " ".join(sentences[start : start + size]).strip()
                if text:
                    found.append(Passage(page.document, page.number, text))
    return found


class Ranker:
    """A BM25 index over a paper's passages, built once per paper."""

    def __init__(self, pages: Sequence[Page]) -> None:
        import bm25s  # numpy and scipy load only when someone asks where to look
        import Stemmer

        self._stem = Stemmer.Stemmer("english").stemWords
        self.passages = split_passages(pages)
        self._index: Any = None
        if self.passages:
            self._index = bm25s.BM25()
            self._index.index([self.tokens(p.text) for p in self.passages], show_progress=False)

    def tokens(self, text: str) -> list[str]:
        """Words in key form, stop words left out, stemmed (the same for passages and cues)."""
        words = [w for w in _WORD.findall(keyed(text).key) if w not in _STOPWORDS]
        return list(self._stem(words))

    def rank(self, cues: Sequence[str], k: int = 5) -> list[tuple[Passage, float]]:
        """The ``k`` passages that best match the cues, best first, with their BM25 scores (0 left out)."""
        query = [token for cue in cues for token in self.tokens(cue)]
        if self._index is None or not query:
            return []
        k = min(k, len(self.passages))
        documents, scores = self._index.retrieve([query], k=k, show_progress=False)
        ranked = [(self.passages[int(i)], float(s)) for i, s in zip(documents[0], scores[0], strict=True)]
        return [(passage, score) for passage, score in ranked if score > 0]
