"""Turn core data into Rich text for widgets: badges with glyph and word, and literal user text.

Everything from a file or a reader is shown through :func:`literal`: never read as markup, with
control characters made visible (Textual passes escape sequences to the terminal otherwise).
"""

from __future__ import annotations

from rich.text import Text
from textual.visual import visualize
from textual.widgets import Static

from appraise.core.checklist import Section
from appraise.core.labels import judgement_label
from appraise.core.palette import style
from appraise.core.text import one_line, visible


def literal(text: str | None, style_: str = "") -> Text:
    """User or file text, shown exactly as written (no markup), control characters visible."""
    return Text(visible(text or ""), style=style_)


def flat(text: str | None, limit: int = 0, style_: str = "") -> Text:
    """Like :func:`literal`, on one line, optionally shortened."""
    return Text(one_line(text or "", limit), style=style_)


def concern_of(section: Section, code: str | None, state: str = "judged") -> tuple[str, str]:
    """(concern level, short label) of a judgement code in a section."""
    words = judgement_label(section, code, state)
    return words.concern, words.short


def badge(
    section: Section, code: str | None, *, state: str = "judged", palette: str = "cochrane", short: bool = False
) -> Text:
    """A coloured badge with glyph and word, e.g. ``" − Some concerns "``; colour is never alone."""
    concern, label = concern_of(section, code, state)
    look = style(concern, palette)
    words = label if not short else label.split(" ")[0]
    return Text(f" {look['glyph']} {words} ", style=f"bold {look['ink']} on {look['colour']}")


def glyph(section: Section, code: str | None, *, state: str = "judged", palette: str = "cochrane") -> Text:
    """Just the glyph on its colour, for one-line strips."""
    concern, _ = concern_of(section, code, state)
    look = style(concern, palette)
    return Text(f" {look['glyph']} ", style=f"bold {look['ink']} on {look['colour']}")


def update_in_place(static: Static, content: Text) -> None:
    """Update a Static, asking for a (screen-wide, costly) layout only if its height changes.

    Answering a question must feel instant: most updates keep the same number of lines, and
    then a repaint of the one widget is all that is needed.
    """
    width = static.content_size.width
    if not static.is_mounted or width <= 0:
        static.update(content)
        return
    visual = visualize(static, content, markup=False)  # converted once, measured, then shown
    height = visual.get_height(static.styles, width)  # type: ignore[arg-type]
    static.update(visual, layout=height != static.content_size.height)


def progress_bar(answered: int, total: int, width: int = 16) -> Text:
    """``████████░░░░ 23/47``."""
    filled = round(width * answered / total) if total else 0
    return Text.assemble(("█" * filled, "green"), ("░" * (width - filled), "dim"), f" {answered}/{total}")
