"""What the appraisal screen shows, computed from the session: card, navigator, strip, help."""

from __future__ import annotations

from rich.text import Text

from appraise.core.checklist import OVERALL, Section
from appraise.core.engine import SectionResult
from appraise.core.keys import scoped
from appraise.core.session import Session, Slot
from appraise.learning.glossary import Glossary
from appraise.tui.render import badge, flat, glyph, literal
from appraise.tui.widgets.navigator import NavEntry
from appraise.tui.widgets.question_card import CardView


def outcome_label(session: Session, outcome_id: str | None) -> str:
    """An outcome's display name."""
    outcome = session.appraisal.outcome(outcome_id) if outcome_id else None
    return outcome.label if outcome else ""


def with_terms(text: str, glossary: Glossary) -> Text:
    """User-safe text with the glossary terms it uses underlined (they open with g)."""
    shown = literal(text)
    for match in glossary.find(shown.plain):
        shown.stylize("underline", match.start, match.end)
    return shown


def card_view(session: Session, index: int, glossary: Glossary | None = None) -> CardView:
    """The question card for a slot."""
    slot = session.slots[index]
    section = slot.section
    heading = Text.assemble((f"{section.id} ", "bold"), flat(section.title, style_="bold"))
    if slot.outcome_id:
        heading.append("  · ")
        heading.append(flat(outcome_label(session, slot.outcome_id), 40, "italic"))
    if slot.question is None:
        invitation = Text.assemble(
            ("This section is answered separately for each outcome.\n", "bold"),
            "Press ",
            ("o", "bold reverse"),
            " to add the outcome(s) you will judge — at least the primary "
            "outcome, and any self-reported recovery outcome the paper highlights.",
        )
        return CardView(heading, "", flat(section.description), remark=invitation)
    question = slot.question
    progress = session.assessment.section_progress(section, slot.outcome_id)
    head = Text.assemble((question.id, "bold"), (" ★" if question.critical else "", "bold yellow"))
    if question.short:
        head.append("  ")
        head.append(flat(question.short, style_="italic"))
    context = heading.copy()
    context.stylize("dim")
    heading = Text.assemble(head, "   ", context)
    status = session.status(slot)
    record = session.record(slot)
    chosen = None
    if record is not None and record.answer in question.codes:
        chosen = question.codes.index(record.answer)
    options = [(option.label, flat(option.hint, style_="dim")) for option in question.options]
    remark: Text | None = None
    if status == "skipped":
        reason = question.skip_reason or "its condition does not hold for this study"
        remark = Text.assemble(("Not asked — counts as NA. ", "bold"), literal(reason))
        options = []
    elif status == "waiting":
        remark = Text("Asked or not depending on an earlier answer that is still open.", style="italic")
    elif question.kind == "text":
        remark = Text("Write your answer in the Answer box below (tab).", style="italic")
    elif record is not None and record.answer and chosen is None:
        remark = Text.assemble(
            ("Stored answer not offered by this checklist: ", "bold red"),
            literal(record.answer),
            " (kept in the file; choose again)",
        )
    text = with_terms(question.text, glossary) if glossary is not None else literal(question.text)
    return CardView(heading, f"{progress.answered} / {progress.total}", text, options, chosen, remark)


def _progress_text(answered: int, total: int) -> str:
    return f"{answered}/{total}" + (" ✓" if total and answered == total else "")


def nav_entries(session: Session, current: Slot, palette: str) -> list[NavEntry]:
    """Navigator lines: every section (per outcome where it applies) with badge, then overall."""
    entries: list[NavEntry] = []
    assessment = session.assessment
    for section in session.checklist.sections:
        if section.per_outcome:
            entries.append(
                NavEntry(
                    section.id,
                    Text.assemble((f"{section.id} ", "bold"), flat(section.label, 18)),
                    current=current.section.id == section.id and not session.appraisal.outcomes,
                )
            )
            if not session.appraisal.outcomes:
                entries.append(
                    NavEntry(f"{section.id}@", Text("   add an outcome (o)", style="italic dim"), selectable=False)
                )
            for outcome in session.appraisal.outcomes:
                result = assessment.result(section.id, outcome.id)
                progress = assessment.section_progress(section, outcome.id)
                line = Text.assemble(
                    "  ", flat(outcome.label, 14), " ", _progress_text(progress.answered, progress.total)
                )
                line.append("\n   ")
                line.append(_badge(section, result, palette))
                entries.append(
                    NavEntry(
                        scoped(section.id, outcome.id),
                        line,
                        current=current.section.id == section.id and current.outcome_id == outcome.id,
                    )
                )
            continue
        result = assessment.result(section.id)
        progress = assessment.section_progress(section)
        line = Text.assemble(
            (f"{section.id} ", "bold"), flat(section.label, 14), " ", _progress_text(progress.answered, progress.total)
        )
        line.append("\n   ")
        line.append(_badge(section, result, palette))
        entries.append(NavEntry(section.id, line, current=current.section.id == section.id))
    overall = session.checklist.overall
    if overall is not None:
        entries.append(NavEntry("-", Text("─" * 22, style="dim"), selectable=False))
        for entry in assessment.overall():
            name = entry.outcome.label if entry.outcome else "Overall"
            line = Text.assemble(
                ("Overall ", "bold") if entry.outcome else ("Overall", "bold"), flat(name, 14) if entry.outcome else ""
            )
            line.append("\n   ")
            line.append(_badge(overall, entry.result, palette))
            entries.append(NavEntry(scoped(OVERALL, entry.outcome_id), line))
    return entries


def _badge(section: Section, result: SectionResult, palette: str) -> Text:
    return badge(section, result.judgement, state=result.state, palette=palette)


def strip(session: Session, current: Slot, palette: str) -> Text:
    """The one-line section strip used at narrow widths: ``A + B − C ? …``."""
    text = Text()
    outcomes = session.appraisal.outcomes
    # Per-outcome judgements follow the outcome on show, else the first outcome.
    focus = current.outcome_id or (outcomes[0].id if outcomes else None)
    for section in session.checklist.sections:
        outcome_id = focus if section.per_outcome else None
        result = session.assessment.result(section.id, outcome_id)
        mark = "bold underline" if section.id == current.section.id else ""
        text.append(f"{section.id}", style=mark)
        text.append(glyph(section, result.judgement, state=result.state, palette=palette))
        text.append(" ")
    overall = session.checklist.overall
    if overall is not None:
        result = session.assessment.result(OVERALL, focus if session.checklist.per_outcome else None)
        text.append("Overall")
        text.append(glyph(overall, result.judgement, state=result.state, palette=palette))
    return text


def question_terms(slot: Slot, glossary: Glossary) -> list[str]:
    """Ids of the glossary terms a question's text and hints use."""
    question = slot.question
    if question is None:
        return []
    return [t.id for t in glossary.terms_in(question.text, question.why, question.where)]


def help_text(slot: Slot, glossary: Glossary | None = None, guidance: dict[str, str] | None = None) -> Text:
    """The review's own guidance, why it matters, where to look, and the glossary terms used."""
    question = slot.question
    if question is None:
        return literal(slot.section.description)
    text = Text()
    agreed = (guidance or {}).get(question.id, "")
    if agreed:
        # The team's decision rule (review.yaml) comes first: it is what this review counts.
        text.append("This review — ", style="bold")
        text.append(literal(agreed))
    if question.why:
        text.append("\n" if text.plain else "")
        text.append("Why it matters — ", style="bold")
        text.append(literal(question.why))
    if question.where:
        text.append("\n" if text.plain else "")
        text.append("Where to look — ", style="bold")
        text.append(literal(question.where))
    if glossary is not None:
        terms = glossary.terms_in(question.text, question.why, question.where)
        if terms:
            text.append("\nTerms — ", style="bold")
            text.append(literal(" · ".join(t.term for t in terms)))
            text.append("  (g to open)", style="dim")
    return text
