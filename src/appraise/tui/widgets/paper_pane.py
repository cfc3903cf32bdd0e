"""The paper beside the questions: read it page by page, search it, and quote it in one key.

The pane's keys act while it has focus and are none of the appraisal screen's: ``[`` ``]`` page
back/forward, ``t`` turn to a page, ``/`` search (``.`` ``,`` next/previous hit), ``l`` where to
look (passages for the current question's ``look_for`` cues, only when asked), ``y`` use the
selected passage (shift+arrows or the mouse) as the current answer's quote and page. Text is read
in a worker thread, so the app stays responsive while a long PDF is extracted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from appraise.core.appraisal import Appraisal
from appraise.tui.render import flat

if TYPE_CHECKING:
    # Imported where they are used: most appraisals open without a paper, and these cost ~3 ms of start.
    from appraise.core.passages import Passage, Ranker
    from appraise.core.quotes import Corpus, Hit, Page

WIDE = 140
"""From this many columns the pane sits beside the questions; below, it fills the screen."""


def display_text(text: str) -> str:
    """A page as the pane shows it: paragraphs flowing to the pane's width, line-end hyphens kept.

    A PDF breaks every printed line; a full-width line is joined to the next with a space (same
    length, so offsets still point into the page), while short lines (paragraph ends, headings)
    and lines ending in a hyphen keep their break. PDFium's line-end hyphen mark shows as a hyphen.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-").split("\n")
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if not lengths:
        return "\n".join(lines)
    usual = lengths[len(lengths) // 2]
    out: list[str] = []
    for i, line in enumerate(lines):
        out.append(line)
        if i < len(lines) - 1:
            full = len(line.strip()) >= 0.8 * usual and not line.rstrip().endswith("-")
            out.append(" " if full and lines[i + 1].strip() else "\n")
    return "".join(out)


@dataclass
class PaperView:
    """What the pane shows: the paper's pages (as displayed), labels, file name, or why there is none."""

    pages: list[Page]
    labels: list[str]
    name: str
    problem: str = ""
    corpus: Corpus | None = None
    """Every attached document (the paper and the others), for checking quotes."""
    missing: str = ""
    """The recorded path of a paper that is neither there nor anywhere in the appraisal's folder."""


def load_view(appraisal: Appraisal, appraisal_path: Path) -> PaperView:
    """Find and read the appraisal's paper (runs in a worker thread)."""
    from appraise.files.papers import load_attached

    attached = load_attached(appraisal, appraisal_path)
    text = attached.texts.get("paper")
    located = attached.located.get("paper")
    if text is None or located is None or located.path is None:
        problem = attached.problems.get("paper") or attached.corpus.reason or "no paper attached"
        missing = located.ref.path if located is not None and located.state == "missing" else ""
        return PaperView([], [], "", problem, attached.corpus if attached.corpus.pages else None, missing)
    from appraise.core.quotes import Corpus

    shown = Corpus()
    shown.add("paper", [display_text(p) for p in text.pages], text.labels)
    note = f" (found again at {located.path})" if located.state == "moved" else ""
    return PaperView(shown.pages, text.labels, located.path.name + note, corpus=attached.corpus)


def location(text: str, offset: int) -> tuple[int, int]:
    """The (row, column) of a character offset in a TextArea's text."""
    before = text[:offset]
    row = before.count("\n")
    return row, offset - (before.rfind("\n") + 1)


class PaperPane(Vertical, can_focus=False):
    """The attached paper, one page at a time, with search, where-to-look and one-key quoting."""

    SCOPED_CSS = False
    DEFAULT_CSS = """
    PaperPane { display: none; width: 1fr; min-width: 40; height: 1fr; border-left: vkey $primary 40%; }
    AppraisalScreen.show-paper PaperPane { display: block; }
    AppraisalScreen.show-paper.paper-full #nav, AppraisalScreen.show-paper.paper-full #main,
    AppraisalScreen.show-paper.paper-full #vignette { display: none; }
    PaperPane #paper-head { height: 1; padding: 0 1; background: $panel; }
    PaperPane #paper-text { height: 1fr; border: none; padding: 0 1; }
    PaperPane #paper-input { display: none; height: 3; }
    PaperPane #paper-input.open { display: block; }
    PaperPane #paper-list { display: none; height: auto; max-height: 40%; border-top: hkey $primary 40%; }
    PaperPane #paper-list.open { display: block; }
    """

    BINDINGS = [
        Binding("right_square_bracket", "page(1)", "Next page", key_display="]"),
        Binding("left_square_bracket", "page(-1)", "Prev page", key_display="["),
        Binding("t", "ask('page')", "To page"),
        Binding("slash", "ask('search')", "Search", key_display="/"),
        Binding("full_stop", "hit(1)", "Next hit", key_display="."),
        Binding("comma", "hit(-1)", "Prev hit", key_display=",", show=False),
        Binding("l", "look", "Where to look"),
        Binding("y", "capture", "Use as quote"),
        Binding("escape", "leave", "Back to question", show=False),
    ]

    class Captured(Message):
        """The reader chose a passage as the current answer's quote."""

        def __init__(self, quote: str, page: str) -> None:
            super().__init__()
            self.quote = quote
            self.page = page

    class Left(Message):
        """The reader pressed escape in the pane: back to the question."""

    class Loaded(Message):
        """The paper's text is ready (or it is known that there is none)."""

    class Turned(Message):
        """The page on show changed (so the screen can remember it)."""

        def __init__(self, page: int) -> None:
            super().__init__()
            self.page = page

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: PaperView | None = None
        self.number = 1
        self.hits: list[Hit] = []
        self.hit_index = -1
        self.cues: list[str] = []
        """The current question's look_for cues (set by the screen as the question changes)."""
        self.question_label = ""
        self._asking = ""
        self._ranker: Ranker | None = None
        self._listing: list[tuple[int, int, int]] = []
        """For each row of the list: page, start and end offsets to select."""

    def compose(self) -> ComposeResult:
        yield Static("Reading the paper…", id="paper-head", markup=False)
        yield TextArea(id="paper-text", read_only=True, soft_wrap=True, show_line_numbers=False)
        yield Input(id="paper-input")
        yield OptionList(id="paper-list")

    @property
    def area(self) -> TextArea:
        return self.query_one("#paper-text", TextArea)

    @property
    def corpus(self) -> Corpus | None:
        """Every attached document's text, once read (None before, or when nothing could be read)."""
        return self.view.corpus if self.view else None

    @property
    def is_loading_paper(self) -> bool:
        """Whether the paper is being read right now."""
        return any(w.group == "paper" and not w.is_finished for w in self.workers)

    @property
    def page_count(self) -> int:
        return len(self.view.pages) if self.view else 0

    # loading ------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="paper")
    def load(self, appraisal: Appraisal, appraisal_path: Path, page: int | None = None) -> None:
        """Read the paper in a worker; the pane shows it when ready."""
        view = load_view(appraisal, appraisal_path)
        self.app.call_from_thread(self._show_view, view, page)

    def _show_view(self, view: PaperView, page: int | None) -> None:
        self.view = view
        self._ranker = None
        self.hits, self.hit_index = [], -1
        self.post_message(self.Loaded())
        if not view.pages:
            self.area.load_text(
                f"No paper to show: {view.problem}.\n\n"
                "Attach one from the command palette (ctrl+p, Attach paper), or on the command line:\n"
                "  appraise attach APPRAISAL.yaml PAPER.pdf"
            )
            self._head(Text(f"no paper · {view.problem}", style="dim"))
            return
        self.show_page(page or 1)

    def show_page(self, number: int, select: tuple[int, int] | None = None) -> None:
        """Show a page (clamped to the paper), optionally selecting a span of its text."""
        if not self.view or not self.view.pages:
            return
        number = max(1, min(self.page_count, number))
        changed = number != self.number or self.area.text != self.view.pages[number - 1].text
        self.number = number
        text = self.view.pages[number - 1].text
        if changed:
            self.area.load_text(text if text.strip() else "(This page has no text layer: a figure or a scan.)")
        if select is not None:
            start, end = location(text, select[0]), location(text, select[1])
            self.area.selection = Selection(start, end)
            self.area.scroll_cursor_visible(center=True)
        elif changed:
            self.area.move_cursor((0, 0))
        self._head()
        if changed:
            self.post_message(self.Turned(number))

    def _head(self, override: Text | None = None) -> None:
        head = self.query_one("#paper-head", Static)
        if override is not None:
            head.update(override)
            return
        assert self.view is not None
        label = self.view.labels[self.number - 1] if self.number <= len(self.view.labels) else ""
        text = Text.assemble(("p. ", "bold"), (f"{self.number}/{self.page_count}", "bold"))
        if label:
            text.append(f" (printed {label})", style="dim")
        if self.hits:
            text.append(f" · hit {self.hit_index + 1}/{len(self.hits)}")
        text.append(" · ")
        text.append(flat(self.view.name, 50, "dim"))
        head.update(text)

    # paging, search, where to look --------------------------------------------------------------

    def action_page(self, delta: int) -> None:
        self.show_page(self.number + delta)

    def action_ask(self, what: str) -> None:
        if not self.page_count:
            return
        field = self.query_one("#paper-input", Input)
        self._asking = what
        field.value = ""
        if what == "page":
            field.placeholder = f"Go to page 1-{self.page_count} (or its printed number), enter"
        else:
            field.placeholder = "Search the paper (case and hyphens ignored), enter"
        field.add_class("open")
        field.focus()

    @on(Input.Submitted, "#paper-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = event.input
        field.remove_class("open")
        value = event.value.strip()
        if self._asking == "page" and self.view:
            from appraise.core.quotes import page_indexes

            pages = page_indexes(value, self.view.labels, self.page_count)
            if pages:
                self.show_page(min(pages))
            else:
                self.notify(f"No page {value!r} in this paper (1-{self.page_count}).", severity="warning")
        elif value:
            self.find(value)
        self.area.focus()

    @on(Input.Blurred, "#paper-input")
    def _input_left(self, event: Input.Blurred) -> None:
        event.input.remove_class("open")

    def find(self, query: str) -> list[Hit]:
        """Search the whole paper; list the hits with their pages and show the first."""
        assert self.view is not None
        from appraise.core.quotes import search

        self.hits = search(query, self.view.pages)
        self.hit_index = -1
        if not self.hits:
            self._list([], f"No {query!r} in the paper.")
            self._head()
            return []
        rows = [(h.page.number, h.start, h.end, f"p. {h.page.number}  {h.snippet(60)}") for h in self.hits]
        self._list(rows, "")
        self.action_hit(1)
        return self.hits

    def action_hit(self, delta: int) -> None:
        if not self.hits:
            return
        self.hit_index = (self.hit_index + delta) % len(self.hits)
        hit = self.hits[self.hit_index]
        self.show_page(hit.page.number, select=(hit.start, hit.end))
        menu = self.query_one("#paper-list", OptionList)
        if menu.option_count == len(self.hits):
            menu.highlighted = self.hit_index

    def action_look(self) -> None:
        if not self.view or not self.view.pages:
            return
        if not self.cues:
            self.notify(
                f"{self.question_label or 'This question'} has no cues of where to look; search with /.", timeout=4
            )
            return
        self._rank(list(self.cues))

    @work(thread=True, exclusive=True, group="rank")
    def _rank(self, cues: list[str]) -> None:
        assert self.view is not None
        if self._ranker is None:
            # Ranked on the text as extracted: its line breaks mark the paragraphs passages follow.
            original = self.view.corpus.of("paper") if self.view.corpus else []
            from appraise.core.passages import Ranker

            self._ranker = Ranker(original or self.view.pages)
        ranked = self._ranker.rank(cues, k=6)
        self.app.call_from_thread(self._show_ranked, cues, ranked)

    def _show_ranked(self, cues: list[str], ranked: list[tuple[Passage, float]]) -> None:
        from appraise.core.quotes import readable, search

        assert self.view is not None
        rows: list[tuple[int, int, int, str]] = []
        for passage, _score in ranked:
            page_number, text = passage.page, passage.text
            page = self.view.pages[page_number - 1]
            found = search(text, [page])
            start, end = (found[0].start, found[0].end) if found else (0, 0)
            shown = readable(text)
            shown = shown if len(shown) <= 240 else shown[:239].rstrip() + "…"  # enter shows it in full
            rows.append((page_number, start, end, f"p. {page_number}  {shown}"))
        self._list(rows, "No passage matches this question's cues." if not rows else "")
        if rows:
            self.query_one("#paper-list", OptionList).focus()  # arrows pick a passage, enter reads it
            self.notify(f"Passages for: {', '.join(cues)[:80]}. Enter reads one; y quotes the selection.", timeout=4)

    def _list(self, rows: list[tuple[int, int, int, str]], empty: str) -> None:
        menu = self.query_one("#paper-list", OptionList)
        menu.clear_options()
        self._listing = [(page, start, end) for page, start, end, _ in rows]
        for _, _, _, label in rows:
            menu.add_option(Option(flat(label, 400)))
        if empty:
            menu.add_option(Option(Text(empty, style="dim"), disabled=True))
        elif rows:
            menu.highlighted = 0
        menu.add_class("open")

    @on(OptionList.OptionSelected, "#paper-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self._listing):
            page, start, end = self._listing[event.option_index]
            if self.hits and len(self.hits) == len(self._listing):
                self.hit_index = event.option_index
            self.show_page(page, select=(start, end) if end > start else None)
            self.area.focus()

    def action_leave(self) -> None:
        field = self.query_one("#paper-input", Input)
        if field.has_class("open"):  # escape first closes the search or page prompt
            field.remove_class("open")
            self.area.focus()
            return
        self.post_message(self.Left())

    # quoting ------------------------------------------------------------------------------------

    def action_capture(self) -> None:
        from appraise.core.quotes import readable

        text = readable(self.area.selected_text)
        if not self.page_count:
            return
        if not text:
            self.notify("Select the passage first: shift+arrows, or drag with the mouse; then y.", timeout=4)
            return
        self.post_message(self.Captured(text, str(self.number)))
