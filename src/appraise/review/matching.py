"""Outcomes matched across reviewers' files: by id, then by name (fuzzy) and type, or by hand.

Two reviewers rarely type an outcome the same way ("Psychiatric readmission within 12 months" and
"Readmission within 12 months"). Comparing by id alone silently left out every per-outcome section
of such a pair, so outcomes are matched first, in this order, each outcome at most once per file:

1. by hand: ``FILE:OUTCOME=OUTCOME`` (``--match``) links that file's outcome to the first file's;
2. by id: the same outcome id in both files;
3. by name: the most similar names (rapidfuzz ``token_set_ratio`` ≥ :data:`THRESHOLD`, so a name
   that adds words to the other's still matches), provided the types agree where both are given and
   the names carry the same numbers (a time point: "at 6 months" is not "at 12 months").

An outcome that matches nothing is only in that file: it is not compared, and every output warns
about it (and ``--strict`` fails). :func:`apply_matching` renames each file's matched outcomes to the
first file's ids, so the comparison itself can go by id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from appraise.core.appraisal import Appraisal
from appraise.core.keys import scoped, unscope

THRESHOLD = 85
"""The least name similarity (0–100) for a fuzzy match."""

How = Literal["id", "name", "manual", "only"]
_PRIORITY: dict[str, int] = {"id": 0, "name": 1, "manual": 2, "only": 3}
HOW_SAID: dict[str, str] = {
    "id": "same id",
    "name": "similar names",
    "manual": "linked by hand",
    "only": "not in every file",
}
"""How a link was made, in words, for every output that says it (CLI, reports, the app)."""


class MatchError(ValueError):
    """A ``--match`` that names a file or an outcome that is not there."""


@dataclass
class OutcomeLink:
    """One outcome across the reviewers: its id in each file (None: not in that file), and how."""

    canonical: str
    """The id the comparison uses: the first file's id, where the first file has this outcome."""
    ids: list[str | None]
    names: list[str | None]
    how: How = "id"
    score: float | None = None
    """Name similarity, for a fuzzy match."""

    @property
    def complete(self) -> bool:
        """Every file has this outcome."""
        return all(i is not None for i in self.ids)


@dataclass
class OutcomeMatching:
    """Every outcome of every file, linked across the files where they match."""

    links: list[OutcomeLink] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)

    @property
    def unmatched(self) -> list[OutcomeLink]:
        """Outcomes some file does not have: not compared."""
        return [link for link in self.links if not link.complete]

    def renames(self, index: int) -> dict[str, str]:
        """For file ``index``: its outcome id → the id used in the comparison, where they differ."""
        out = {}
        for link in self.links:
            own = link.ids[index]
            if own is not None and own != link.canonical:
                out[own] = link.canonical
        return out

    def warnings(self) -> list[str]:
        """One plain warning per outcome not in every file (never dropped silently)."""
        result = []
        for link in self.unmatched:
            having = [self.reviewers[i] for i, own in enumerate(link.ids) if own is not None]
            missing = [self.reviewers[i] for i, own in enumerate(link.ids) if own is None]
            name = next(n for n in link.names if n is not None)
            result.append(
                f"outcome {name!r} ({link.canonical}) is only in the file(s) of {', '.join(having)}, "
                f"not in {', '.join(missing)}: its per-outcome questions and judgements are not compared "
                "(link it with --match FILE:OUTCOME=OUTCOME if it is the same outcome under another name)"
            )
        return result

    def to_data(self) -> list[dict[str, Any]]:
        """Plain data: each outcome, its id and name per reviewer, and how it was matched."""
        return [
            {
                "id": link.canonical,
                "how": link.how,
                "score": None if link.score is None else round(link.score, 1),
                "matched": link.complete,
                "reviewers": [
                    {"reviewer": self.reviewers[i], "id": own, "name": link.names[i]} for i, own in enumerate(link.ids)
                ],
            }
            for link in self.links
        ]


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def parse_match(spec: str) -> tuple[str, str, str]:
    """``FILE:OUTCOME=OUTCOME`` → (file, that file's outcome, the first file's outcome)."""
    left, eq, target = spec.rpartition("=")
    path, colon, own = left.rpartition(":")
    if not eq or not colon or not path or not own.strip() or not target.strip():
        raise MatchError(f"--match {spec!r}: write FILE:OUTCOME=OUTCOME, e.g. bea.yaml:readmit=readmission")
    return path, own.strip(), target.strip()


def match_outcomes(
    appraisals: Sequence[Appraisal],
    *,
    reviewers: Sequence[str] | None = None,
    manual: Sequence[tuple[int, str, str]] = (),
) -> OutcomeMatching:
    """Link the outcomes of every file to the first file's (then to each other's).

    ``manual`` holds (file index, that file's outcome id or name, the first file's id or name).
    Raises MatchError for a manual link to an outcome that is not there.
    """
    count = len(appraisals)
    names = list(reviewers) if reviewers is not None else [f"reviewer {chr(65 + i)}" for i in range(count)]
    matching = OutcomeMatching(reviewers=names)
    links = matching.links
    for outcome in appraisals[0].outcomes if appraisals else []:
        ids: list[str | None] = [outcome.id] + [None] * (count - 1)
        labels: list[str | None] = [outcome.label] + [None] * (count - 1)
        links.append(OutcomeLink(outcome.id, ids, labels))

    for index in range(1, count):
        _match_file(matching, appraisals, index, [(ref, target) for i, ref, target in manual if i == index])
    for link in links:
        if not link.complete:
            link.how = "only"
    return matching


def _match_file(
    matching: OutcomeMatching, appraisals: Sequence[Appraisal], index: int, manual: list[tuple[str, str]]
) -> None:
    """Link file ``index``'s outcomes to the links so far: by hand, by id, then by name."""
    from rapidfuzz import fuzz

    links, names, count = matching.links, matching.reviewers, len(appraisals)
    left = {o.id: o for o in appraisals[index].outcomes}

    def take(link: OutcomeLink, own: str, how: How, score: float | None = None) -> None:
        link.ids[index] = own
        link.names[index] = left[own].label
        if _PRIORITY[how] > _PRIORITY[link.how]:  # the weakest way any file was linked shows
            link.how = how
            link.score = score
        del left[own]

    for ref, target in manual:
        own = next((o.id for o in left.values() if ref in (o.id, o.name) or _plain(ref) == _plain(o.label)), None)
        if own is None:
            raise MatchError(f"--match: {names[index]}'s file has no outcome {ref!r} (or it is already matched)")
        link = next((lk for lk in links if target == lk.canonical or target in lk.names), None)
        if link is None or link.ids[index] is not None:
            raise MatchError(f"--match: no outcome {target!r} to link {ref!r} to (or it is already matched)")
        take(link, own, "manual")
    for link in links:
        if link.ids[index] is None and link.canonical in left:
            take(link, link.canonical, "id")
    candidates: list[tuple[float, str, OutcomeLink]] = []
    for own, outcome in left.items():
        for link in links:
            if link.ids[index] is not None:
                continue
            first = next(i for i in range(count) if link.ids[i] is not None)
            other = next(o for o in appraisals[first].outcomes if o.id == link.ids[first])
            if outcome.type and other.type and outcome.type != other.type:
                continue
            if _numbers(outcome.label) != _numbers(other.label):
                continue
            score = float(fuzz.token_set_ratio(_plain(outcome.label), _plain(other.label)))
            if score >= THRESHOLD:
                candidates.append((score, own, link))
    for score, own, link in sorted(candidates, key=lambda c: -c[0]):
        if own in left and link.ids[index] is None:
            take(link, own, "name", score)
    for own, outcome in list(left.items()):
        canonical = own if all(lk.canonical != own for lk in links) else f"{own}-{chr(97 + index)}"
        ids: list[str | None] = [None] * count
        labels: list[str | None] = [None] * count
        ids[index], labels[index] = own, outcome.label
        links.append(OutcomeLink(canonical, ids, labels, "only"))


def apply_matching(appraisal: Appraisal, renames: dict[str, str]) -> Appraisal:
    """A copy of ``appraisal`` with its outcome ids renamed (outcomes, their answers and overrides)."""
    if not renames:
        return appraisal
    copy = appraisal.model_copy(deep=True)
    for outcome in copy.outcomes:
        outcome.id = renames.get(outcome.id, outcome.id)
    copy.outcome_answers = {renames.get(k, k): v for k, v in copy.outcome_answers.items()}
    overrides = {}
    for key, value in copy.overrides.items():
        section, oid = unscope(key)
        overrides[scoped(section, renames.get(oid, oid) if oid else None)] = value
    copy.overrides = overrides
    return copy


__all__ = [
    "THRESHOLD",
    "MatchError",
    "OutcomeLink",
    "OutcomeMatching",
    "apply_matching",
    "match_outcomes",
    "parse_match",
]
