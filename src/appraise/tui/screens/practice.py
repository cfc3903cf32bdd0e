"""Practice feedback: your answers beside the model answers, with the reasons and teaching points."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from appraise.learning.practice import Feedback, Grade, QuestionFeedback
from appraise.tui.render import flat, literal
from appraise.tui.screens.base import AppScreen
from appraise.tui.widgets.footer import FittingFooter

GRADES: dict[Grade, tuple[str, str]] = {
    "agrees": ("✓ agrees", "bold green"),
    "acceptable": ("~ acceptable", "bold yellow"),
    "differs": ("✗ differs", "bold red"),
    "unanswered": ("? not answered", "bold"),
    "not_asked": ("· not asked", "dim"),
}


def grade_text(grade: Grade) -> Text:
    """The grade as a word with a glyph (colour is never the only signal)."""
    word, style = GRADES[grade]
    return Text(word, style=style)


class PracticeFeedbackScreen(AppScreen[None]):
    """Per question, per section and overall: agrees / acceptable / differs, and why."""

    BINDINGS = [
        Binding("escape,f", "app.pop_screen", "Back to the questions"),
        Binding("d", "only_differences", "Differences only"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, feedback: Feedback) -> None:
        super().__init__()
        self.feedback = feedback
        self.rows: list[QuestionFeedback] = []
        self.differences_only = False
        self._width = 120

    @staticmethod
    def _label_widths(width: int) -> tuple[int, int]:
        """(outcome, answer) column widths that keep all five columns on screen.

        The fixed part is the question column (8, its heading), the grade (14), the scrollbar (2) and
        two cells of padding per column (10); the rest is shared by the outcome and the two answers,
        up to 16 and 30 each. Each answer is also written out in full below the table.
        """
        room = max(width - 8 - 14 - 2 - 10, 30)
        outcome = min(16, room // 5)
        return outcome, min(30, (room - outcome) // 2)

    def compose(self) -> ComposeResult:
        yield Static(self._summary(), id="practice-summary")
        yield DataTable(id="practice-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="practice-detail"):
            yield Static(id="practice-why", markup=False)
        yield FittingFooter()

    def _summary(self, width: int = 120) -> Text:
        """Title, then the counts for questions and for judgements: on one line if it fits, else two."""
        f = self.feedback
        text = Text.assemble((f"{f.vignette.title} — how your appraisal compares with the model answer\n", "bold"))
        questions = (
            f"{f.count('agrees')} agree · {f.count('acceptable')} acceptable · {f.count('differs')} differ"
            f" · {f.count('unanswered')} not answered"
        )
        judgements = (
            f"Judgements: {f.count('agrees', judgements=True)} agree · "
            f"{f.count('acceptable', judgements=True)} acceptable · {f.count('differs', judgements=True)} differ"
        )
        gap = "     " if len(questions) + 5 + len(judgements) <= width - 2 else "\n"  # 2: the padding
        text.append(questions + gap + judgements)
        return text

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#practice-summary", Static).update(self._summary(event.size.width))
        if self._label_widths(event.size.width) != self._label_widths(self._width):
            self._width = event.size.width
            self.fill()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self._width = self.app.size.width
        self.fill()
        table.focus()

    def fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)  # columns only ever widen to their cells: start them again
        table.add_columns("Question", "Outcome", "Yours", "Model answer", "")
        outcome_width, answer_width = self._label_widths(self._width)
        self.rows = [
            q for q in self.feedback.questions if not self.differences_only or q.grade in {"differs", "unanswered"}
        ]
        for q in self.rows:
            table.add_row(
                Text(q.question_id, style="bold"),
                flat(self._outcome_name(q.outcome_id), outcome_width),
                flat(q.yours_label, answer_width),
                flat(q.expected_label, answer_width),
                grade_text(q.grade),
            )
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))
        self._explain()

    def _outcome_name(self, outcome_id: str | None) -> str:
        """The outcome's name as the vignette gives it (its id is for files, not readers)."""
        if outcome_id is None:
            return "—"
        return next((o.label for o in self.feedback.vignette.outcomes if o.id == outcome_id), outcome_id)

    def action_only_differences(self) -> None:
        self.differences_only = not self.differences_only
        self.fill()

    @on(DataTable.RowHighlighted)
    def _explain(self) -> None:
        table = self.query_one(DataTable)
        text = Text()
        if 0 <= table.cursor_row < len(self.rows):
            q = self.rows[table.cursor_row]
            text.append(f"{q.question_id} ", style="bold")
            text.append(literal(q.text))
            text.append("\n")
            text.append(grade_text(q.grade))
            text.append(f"  yours: {q.yours_label} · model: {q.expected_label}\n")
            if q.rationale:
                text.append("Model answer's reason — ", style="bold")
                text.append(literal(q.rationale))
                text.append("\n")
            if q.why and q.grade in {"differs", "unanswered"}:
                text.append("Why it matters — ", style="bold")
                text.append(literal(q.why))
                text.append("\n")
            if q.terms:
                text.append("Terms: ", style="bold")
                text.append(literal(" · ".join(q.terms)))
                text.append("  (g in the questions opens the glossary)\n", style="dim")
        text.append_text(self._judgements_and_points())
        self.query_one("#practice-why", Static).update(text)

    def _judgements_and_points(self) -> Text:
        text = Text()
        text.append("\nSections and overall\n", style="bold underline")
        for j in self.feedback.judgements:
            text.append("  ")
            text.append(grade_text(j.grade))
            outcome = f" [{self._outcome_name(j.outcome_id)}]" if j.outcome_id else ""
            text.append(f"  {j.title}{outcome}: yours {j.yours_label}, model {j.expected_label}")
            if j.grade == "differs" and j.rationale:
                text.append(" — ")
                text.append_text(literal(j.rationale, "italic"))
            text.append("\n")
        if self.feedback.vignette.summary:
            text.append("\nIn a sentence\n", style="bold underline")
            text.append("  ")
            text.append(literal(self.feedback.vignette.summary))
            text.append("\n")
        if self.feedback.vignette.teaching_points:
            text.append("\nTeaching points\n", style="bold underline")
            for point in self.feedback.vignette.teaching_points:
                text.append("  • ")
                text.append(literal(point))
                text.append("\n")
        return text
