"""Command palette: jump to any question by id, short name or words of its text."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from appraise.core.text import one_line, visible


class JumpProvider(Provider):
    """ "Jump to question…" on the appraisal screen."""

    def _targets(self) -> list[tuple[str, str, str | None]]:
        from appraise.tui.screens.appraisal import AppraisalScreen

        screen = self.screen
        if not isinstance(screen, AppraisalScreen):
            return []
        targets = []
        for slot in screen.session.slots:
            if slot.question is None:
                continue
            outcome = screen.session.appraisal.outcome(slot.outcome_id) if slot.outcome_id else None
            where = f" [{outcome.label}]" if outcome else ""
            label = visible(
                f"Jump to {slot.question.id} {one_line(slot.question.short or slot.question.text, 50)}{where}"
            )
            targets.append((label, slot.question.id, slot.outcome_id))
        return targets

    def _jump(self, question_id: str, outcome_id: str | None) -> None:
        from appraise.tui.screens.appraisal import AppraisalScreen

        if isinstance(self.screen, AppraisalScreen):
            self.screen.jump_to(question_id, outcome_id)

    async def discover(self) -> Hits:
        for label, qid, oid in self._targets()[:12]:
            yield DiscoveryHit(Content(label), partial(self._jump, qid, oid), text=label, help="Go to this question")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, qid, oid in self._targets():
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    literal_highlight(matcher, label),
                    partial(self._jump, qid, oid),
                    text=label,
                    help="Go to this question",
                )


def literal_highlight(matcher: Matcher, label: str) -> Content:
    """Like ``Matcher.highlight``, but the label is never read as markup (it holds user text)."""
    content = Content(label)
    _, offsets = matcher.fuzzy_search.match(matcher.query, label)
    for offset in offsets:
        if not label[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
