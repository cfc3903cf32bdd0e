"""The jargon buster: research terms in plain words, found in any text, looked up forgivingly.

The glossary is data (``checklists/glossary/glossary.yaml``, never listed as a checklist); a
user's ``glossary.yaml`` in the data folder adds terms or replaces them by id. Terms are found in
text by headword, synonyms and abbreviation, longest match first, so a term is never linked
inside a longer one ("allocation concealment", not "allocation").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field

from appraise.files import paths
from appraise.files.problems import FileProblems
from appraise.files.validation import validate
from appraise.files.yamlio import read_document


class Term(BaseModel):
    """One glossary entry."""

    # Deferred: the app and reports read the glossary from the cache without validating it.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")
    term: str = Field(min_length=1)
    synonyms: list[str] = Field(default_factory=list)
    abbreviation: str = ""
    definition: str = Field(min_length=1)
    related: list[str] = Field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Every way the term is written: headword, synonyms, abbreviation."""
        return [self.term, *self.synonyms, *([self.abbreviation] if self.abbreviation else [])]


class GlossaryFile(BaseModel):
    """The shape of a glossary file."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    glossary: int = 1
    terms: list[Term]


@dataclass(frozen=True)
class Match:
    """A term found in a text, at ``start``:``end``."""

    start: int
    end: int
    term: Term


def _plain(name: str) -> str:
    """Lower case, with hyphens and runs of spaces as one space: "Intention-to-treat" → "intention to treat"."""
    return " ".join(re.split(r"[\s-]+", name.lower().strip()))


def _spaced(text: str) -> str:
    """Lower case, words split as :func:`_compile` splits a name, joined by one space."""
    return " ".join(part for part in re.split(r"[\s-]+", text.lower()) if part)


def _singular(word: str) -> str:
    """Crude but enough for lookups: trials → trial, analyses → analysis, biases → bias."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ses") and len(word) > 4:
        return word[:-2] if word.endswith("sses") else word[:-3] + "sis"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _names(term: Term) -> list[str]:
    return [term.term, *term.synonyms]


def _compile(terms: Iterable[Term]) -> re.Pattern[str] | None:
    """One pattern for the terms: plural endings, flexible spaces and hyphens, abbreviations case-sensitive."""
    words: list[str] = []
    for term in terms:
        for name in _names(term):
            # Allow a plural ending and flexible spacing or hyphens between words.
            parts = [re.escape(part) for part in re.split(r"[\s-]+", name.strip()) if part]
            if parts:
                words.append(r"[\s-]+".join(parts) + r"(?:e?s)?")
        if term.abbreviation:
            words.append(f"(?-i:{re.escape(term.abbreviation)})s?")
    if not words:
        return None
    words.sort(key=len, reverse=True)  # longest first: a term is never matched inside a longer one
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)


class Glossary:
    """Terms by id, with finding and forgiving lookup."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms: dict[str, Term] = {term.id: term for term in terms}

    def __len__(self) -> int:
        return len(self.terms)

    @cached_property
    def _by_name(self) -> dict[str, Term]:
        found: dict[str, Term] = {}
        for term in self.terms.values():
            for name in term.names:
                found.setdefault(_plain(name), term)
        return found

    @cached_property
    def _plain_names(self) -> list[tuple[Term, str, tuple[str, ...]]]:
        """Per term, its abbreviation and each name in plain form: a term occurs only where one of these does."""
        return [
            (term, term.abbreviation or "", tuple(name for name in map(_spaced, _names(term)) if name))
            for term in self.terms.values()
        ]

    @cached_property
    def _narrow(self) -> dict[tuple[str, ...], re.Pattern[str] | None]:
        """Patterns of only some terms, by the ids of those terms (help texts repeat the same few)."""
        return {}

    def _term_for(self, found: str) -> Term | None:
        key = _plain(found)
        for candidate in (key, _singular(key), key.removesuffix("es"), key.removesuffix("s")):
            if candidate in self._by_name:
                return self._by_name[candidate]
        return None

    def find(self, text: str, pattern: re.Pattern[str] | None = None) -> list[Match]:
        """Every term in ``text``, left to right, never overlapping (``pattern``: a narrower :func:`_compile`)."""
        pattern = pattern or self._pattern_for(text)
        if pattern is None or not text:
            return []
        matches = []
        for found in pattern.finditer(text):
            term = self._term_for(found.group(0))
            if term is not None:
                matches.append(Match(found.start(), found.end(), term))
        return matches

    def _pattern_for(self, *texts: str) -> re.Pattern[str] | None:
        """The pattern of only the terms that can occur in the texts: it finds what the whole one would."""
        # Compiling the pattern of every term costs more than a whole report. A term can match only
        # where its plain name is in the plain text (the pattern's flexible spaces and hyphens, made
        # single spaces; its plural endings and word boundaries only narrow that), and a term that
        # matches nowhere changes no match of the others: only the terms that occur are compiled.
        if texts in self._patterns:  # the app asks again each time a question is shown
            return self._patterns[texts]
        joined = "\n".join(texts)
        plain = _spaced(joined)
        candidates = tuple(
            term.id
            for term, abbreviation, names in self._plain_names
            if (abbreviation and abbreviation in joined) or any(name in plain for name in names)
        )
        if candidates not in self._narrow:
            self._narrow[candidates] = _compile(self.terms[i] for i in candidates)
        if len(self._patterns) < 4096:
            self._patterns[texts] = self._narrow[candidates]
        return self._narrow[candidates]

    def terms_in(self, *texts: str) -> list[Term]:
        """The distinct terms the texts use, in order of first use."""
        pattern = self._pattern_for(*texts)
        seen: dict[str, Term] = {}
        for text in texts if pattern is not None else ():
            for match in self.find(text, pattern):
                seen.setdefault(match.term.id, match.term)
        return list(seen.values())

    @cached_property
    def _patterns(self) -> dict[tuple[str, ...], re.Pattern[str] | None]:
        """The narrowed pattern, by the texts it was made for (a glossary's terms never change)."""
        return {}

    def lookup(self, query: str, limit: int = 8) -> list[Term]:
        """Terms for a query, forgiving of case, plurals and typos; best first."""
        key = _plain(query)
        if not key:
            return []
        exact = self.terms.get(key) or self._by_name.get(key) or self._by_name.get(_singular(key))
        if exact is not None:
            return [exact]
        results: dict[str, Term] = {}
        for name, term in self._by_name.items():
            if key in name:
                results.setdefault(term.id, term)
        names = list(self._by_name)
        for name in difflib.get_close_matches(key, names, n=limit, cutoff=0.72):
            results.setdefault(self._by_name[name].id, self._by_name[name])
        for word in key.split():
            for name in difflib.get_close_matches(_singular(word), names, n=3, cutoff=0.8):
                results.setdefault(self._by_name[name].id, self._by_name[name])
        return list(results.values())[:limit]

    def search(self, query: str) -> list[Term]:
        """Terms whose names or definition mention every word of the query (for the glossary screen)."""
        words = _plain(query).split()
        if not words:
            return sorted(self.terms.values(), key=lambda t: t.term.lower())
        found = [t for t in self.terms.values() if all(w in _plain(" ".join([*t.names, t.definition])) for w in words)]
        found.sort(key=lambda t: (not any(_plain(n).startswith(words[0]) for n in t.names), t.term.lower()))
        return found or self.lookup(query)


_LOADED: dict[tuple[tuple[str, int], ...], Glossary] = {}


def load_glossary() -> Glossary:
    """The glossary (cached while its files are unchanged); raises FileProblems for a broken file."""
    files = paths.glossary_files()
    key = tuple((str(f), f.stat().st_mtime_ns) for f in files)
    if key not in _LOADED:
        from appraise.files import cache

        terms: dict[str, Term] = {}
        for file in files:
            parsed = cache.load(file, GlossaryFile)
            if parsed is None:
                parsed = validate(read_document(file), GlossaryFile)
                cache.store(file, parsed)
            for term in parsed.terms:
                terms[term.id] = term
        _LOADED[key] = Glossary(terms.values())
    return _LOADED[key]


def try_load_glossary() -> Glossary:
    """The glossary, or an empty one when the files cannot be read (it only adds explanations)."""
    try:
        return load_glossary()
    except (FileProblems, OSError):
        return Glossary([])
