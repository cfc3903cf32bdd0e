"""The glossary screen: search, the list of terms, and the definition with related terms."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from appraise.learning.glossary import Glossary, Term, try_load_glossary
from appraise.tui.render import flat, literal
from appraise.tui.screens.base import AppScreen
from appraise.tui.widgets.footer import FittingFooter


class GlossaryScreen(AppScreen[None]):
    """Look up research terms: type to search; the definition shows beside the list."""

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("ctrl+f", "search", "Search"),
        Binding("f1", "app.help", "Help"),  # not ?: that is typed in the search box
        Binding("down", "to_list", "Terms", show=False),  # from the search box into the list
    ]

    def __init__(self, terms: list[str] | None = None, glossary: Glossary | None = None) -> None:
        super().__init__()
        self.glossary = glossary or try_load_glossary()
        self.initial = terms or []
        """Ids of the terms to show first (those of the question the reader came from)."""
        self.shown: list[Term] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Jargon buster — research terms in plain words", style="bold"), id="glossary-title")
        yield Input(placeholder="Search (e.g. concealment, ITT, blinding)…", id="glossary-search")
        with Horizontal(id="glossary-body"):
            yield OptionList(id="glossary-terms")
            with VerticalScroll(id="glossary-definition"):
                yield Static(id="definition", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = self.app.cursor_blink
        first = [self.glossary.terms[t] for t in self.initial if t in self.glossary.terms]
        rest = sorted(
            (t for t in self.glossary.terms.values() if t.id not in self.initial), key=lambda t: t.term.lower()
        )
        self.show_terms(first + rest, split=len(first))
        self.query_one(Input).focus()  # type at once; ↓ or enter goes to the list

    def show_terms(self, terms: list[Term], split: int = 0) -> None:
        """List terms; the first ``split`` (those of the question on show) are set apart by a line."""
        self.shown = terms
        listing = self.query_one(OptionList)
        listing.clear_options()
        if not terms:
            listing.add_option(Option(Text("No term matches; try fewer letters.", style="italic"), disabled=True))
            self.query_one("#definition", Static).update("")
            return
        options: list[Option | None] = [Option(self._term_label(t), id=t.id) for t in terms]
        if 0 < split < len(terms):
            options.insert(split, None)  # a separator between this question's terms and the rest
        listing.add_options(options)
        listing.highlighted = 0
        self._define(terms[0])

    @staticmethod
    def _term_label(term: Term) -> Text:
        text = flat(term.term, 40, "bold")
        if term.abbreviation:
            text.append(f"  {term.abbreviation}", style="dim")
        return text

    @on(Input.Changed, "#glossary-search")
    def _search(self, event: Input.Changed) -> None:
        self.show_terms(self.glossary.search(event.value))

    @on(Input.Submitted, "#glossary-search")
    def action_to_list(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        term = self.glossary.terms.get(event.option.id or "")
        if term is not None:
            self._define(term)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        term = self.glossary.terms.get(event.option.id or "")
        if term is not None and term.related:
            # Selecting a term shows it with its related terms, to follow the thread.
            related = [self.glossary.terms[r] for r in term.related if r in self.glossary.terms]
            self.show_terms([term, *related])

    def _define(self, term: Term) -> None:
        text = Text.assemble(flat(term.term, style_="bold"))
        if term.abbreviation:
            text.append(f" ({term.abbreviation})")
        text.append("\n\n")
        text.append(literal(term.definition))
        if term.synonyms:
            text.append("\n\nAlso called: ", style="bold")
            text.append(literal(", ".join(term.synonyms)))
        related = [self.glossary.terms[r].term for r in term.related if r in self.glossary.terms]
        if related:
            text.append("\n\nRelated: ", style="bold")
            text.append(literal(" · ".join(related)))
            text.append("  (enter shows them)", style="dim")
        self.query_one("#definition", Static).update(text)

    def action_search(self) -> None:
        self.query_one(Input).focus()

    def action_close(self) -> None:
        self.app.pop_screen()
