"""How a consensus matched its reviewers' outcomes, and fixing a match from inside the app.

A consensus file records the reviewers' files it was built from (``sources``) and the outcome links
made by hand (``matches``, as ``FILE:OUTCOME=OUTCOME``, the semantics of ``--match``). From those,
:func:`consensus_matching` shows how every outcome was matched (by id, by name, by hand, or only in
one file), and :func:`relink` adds a link by hand and rebuilds the consensus from the same files:
items already resolved stay resolved where the reviewers' sides are still the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from appraise.core.appraisal import Appraisal
from appraise.core.checklist import Checklist
from appraise.files.problems import FileProblems
from appraise.files.store import LoadedAppraisal, load_appraisal
from appraise.review.consensus import ConsensusError, build_consensus_many, record_of, resolve
from appraise.review.consensus_record import KEY, ConsensusRecord
from appraise.review.matching import MatchError, OutcomeMatching, match_outcomes, parse_match


class RematchError(ValueError):
    """The consensus cannot be matched again (its reviewers' files are gone, or a link is not possible)."""


@dataclass
class ConsensusMatching:
    """A consensus's reviewers' files, as loaded, and how their outcomes are matched."""

    record: ConsensusRecord
    files: list[LoadedAppraisal]
    matching: OutcomeMatching
    manual: list[tuple[int, str, str]]


def _source(consensus_path: Path, source: str) -> Path | None:
    """Where a recorded source file is now: as written, beside the consensus, or by name beside it."""
    written = Path(source)
    for candidate in (written, consensus_path.parent / written, consensus_path.parent / written.name):
        if candidate.is_file():
            return candidate
    return None


def _index(sources: list[str], path: str) -> int | None:
    """Which source a ``--match`` FILE names: the path as recorded, else the one source with that file name."""
    if path in sources:
        return sources.index(path)
    named = [i for i, s in enumerate(sources) if Path(path).name == Path(s).name]
    return named[0] if len(named) == 1 else None


def consensus_matching(consensus_path: Path, appraisal: Appraisal) -> ConsensusMatching:
    """Read the consensus's reviewers' files again and match their outcomes as the consensus did."""
    record = record_of(appraisal)
    if record is None:
        raise RematchError("this appraisal is not a consensus (it has no consensus record)")
    if len(record.sources) < 2:
        raise RematchError("the consensus does not record the reviewers' files it was made from")
    files = []
    for source in record.sources:
        path = _source(consensus_path, source)
        if path is None:
            raise RematchError(f"the reviewer's file {source} is not found (looked beside {consensus_path.name} too)")
        try:
            loaded = load_appraisal(path)
        except FileProblems as error:
            raise RematchError(str(error.problems[0])) from None
        if loaded.errors:
            raise RematchError(str(loaded.errors[0]))
        files.append(loaded)
    manual = []
    for spec in record.matches:
        try:
            named, own, target = parse_match(spec)
        except MatchError as error:
            raise RematchError(str(error)) from None
        index = _index(record.sources, named)
        if index is None or index == 0:
            raise RematchError(f"the recorded link {spec!r} names none of the other reviewers' files")
        manual.append((index, own, target))
    return ConsensusMatching(record, files, _match(record, files, manual), manual)


Manual = list[tuple[int, str, str]]


def _match(record: ConsensusRecord, files: list[LoadedAppraisal], manual: Manual) -> OutcomeMatching:
    names = record.reviewers if len(record.reviewers) == len(files) else None
    try:
        return match_outcomes([f.appraisal for f in files], reviewers=names, manual=manual)
    except MatchError as error:
        raise RematchError(str(error)) from None


def relink(
    consensus_path: Path,
    appraisal: Appraisal,
    checklist: Checklist,
    index: int,
    own: str,
    target: str | None,
    *,
    by: str = "",
) -> list[str]:
    """Link reviewer ``index``'s outcome ``own`` to the first reviewer's ``target`` and rebuild the consensus.

    ``target=None`` takes back a link made by hand (the outcome is then matched as appraise would).
    The appraisal is changed in place (the caller saves). Returns the items whose resolution could
    not be kept, because the reviewers' sides differ now; they are open again.
    """
    current = consensus_matching(consensus_path, appraisal)
    if index < 1 or index >= len(current.files):
        raise RematchError("only another reviewer's outcome can be linked to the first reviewer's")
    manual = [m for m in current.manual if not (m[0] == index and m[1] == own)]
    if target is not None:
        manual.append((index, own, target))
    matching = _match(current.record, current.files, manual)
    specs = [f"{current.record.sources[i]}:{o}={t}" for i, o, t in manual]
    rebuilt = build_consensus_many(
        [f.appraisal for f in current.files],
        checklist,
        sources=current.record.sources,
        matching=matching,
        matches=specs,
    )
    lost = _carry_resolutions(current.record, rebuilt, by)
    for name in ("study", "outcomes", "answers", "outcome_answers", "overrides"):
        setattr(appraisal, name, getattr(rebuilt, name))
    assert appraisal.model_extra is not None and rebuilt.model_extra is not None
    appraisal.model_extra[KEY] = rebuilt.model_extra[KEY]
    return lost


def _carry_resolutions(old: ConsensusRecord, rebuilt: Appraisal, by: str) -> list[str]:
    """Resolve again in the rebuilt consensus what was resolved before, where the sides are unchanged."""
    new = record_of(rebuilt)
    assert new is not None
    lost = []
    for key, item in old.items.items():
        if item.status != "resolved" or key not in new.items:
            continue
        fresh = new.items[key]
        same = {k: s.answer for k, s in fresh.sides.items()} == {k: s.answer for k, s in item.sides.items()}
        try:
            if not same:
                raise ConsensusError(key)
            if item.chosen == "new" and item.answer is not None:
                resolve(rebuilt, key, answer=item.answer, reason=item.reason or "kept from before", resolved_by=by)
            elif item.chosen is not None:
                resolve(rebuilt, key, choose=item.chosen, reason=item.reason, resolved_by=item.resolved_by or by)
        except ConsensusError:
            lost.append(key)
    return lost


__all__ = ["ConsensusMatching", "RematchError", "consensus_matching", "relink"]
