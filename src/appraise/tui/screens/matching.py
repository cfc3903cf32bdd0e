"""How a consensus matched its reviewers' outcomes (by id, by name, by hand, or only in one file), and fixing one.

Opened with `m` from the resolve view. Choosing another reviewer's outcome asks which of the first
reviewer's outcomes it is, then rebuilds the consensus from the reviewers' files with that link
(the semantics of ``appraise consensus --match FILE:OUTCOME=OUTCOME``); resolved items whose sides
are unchanged stay resolved.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from appraise.core.session import Session
from appraise.review.matching import HOW_SAID
from appraise.review.rematch import ConsensusMatching, RematchError, consensus_matching, relink
from appraise.tui.locked import refuses_when_locked
from appraise.tui.render import flat
from appraise.tui.saving import AutoSaver
from appraise.tui.screens.base import AppScreen
from appraise.tui.widgets.footer import FittingFooter

UNLINK = "\tunlink"
"""The choice that takes back a link made by hand (no outcome id has a tab)."""
HOW = {**HOW_SAID, "only": f"{HOW_SAID['only'].upper()}: not compared"}  # the one that needs a look stands out


class OutcomeMatchScreen(AppScreen[None]):
    """Every outcome across the reviewers and how it was matched; enter links one by hand."""

    BINDINGS = [
        Binding("escape,m", "close", "Back to resolving"),
        Binding("question_mark", "app.help", "Help", key_display="?"),  # as on every full screen
    ]

    def __init__(self, session: Session, saver: AutoSaver) -> None:
        super().__init__()
        self.session = session
        self.saver = saver
        self.path: Path = saver.store.path
        self.current: ConsensusMatching | None = None

    def compose(self) -> ComposeResult:
        yield Static("How the reviewers' outcomes were matched", id="match-title", markup=False)
        with VerticalScroll(id="match-body"):
            yield Static(id="match-links", markup=False)
            yield Static(
                "Link another reviewer's outcome to the first reviewer's (enter), as `--match` does:",
                id="match-hint",
                markup=False,
            )
            yield OptionList(id="match-choices")
        yield FittingFooter()

    def action_close(self) -> None:
        self.dismiss(None)  # the resolve view shows the rebuilt items when it gets its callback

    def on_mount(self) -> None:
        self.fill()
        self.query_one(OptionList).focus()

    def fill(self) -> None:
        """Show every outcome link, and offer each other reviewer's outcome for linking."""
        links = self.query_one("#match-links", Static)
        choices = self.query_one(OptionList)
        choices.clear_options()
        try:
            self.current = consensus_matching(self.path, self.session.appraisal)
        except RematchError as error:
            self.current = None
            links.update(Text(f"Cannot show the matching: {error}", style="bold"))
            return
        matching = self.current.matching
        text = Text()
        for link in matching.links:
            how = HOW[link.how] + (f" ({link.score:.0f}%)" if link.how == "name" and link.score is not None else "")
            text.append(flat(link.canonical, 40, "bold"))
            text.append(f"  {how}\n", style="bold red" if link.how == "only" else "dim")
            for reviewer, name in zip(matching.reviewers, link.names, strict=True):
                text.append(f"    {flat(reviewer, 24)}: ")
                text.append(flat(name, 60) if name is not None else Text("— not in this file", style="italic"))
                text.append("\n")
        links.update(text)
        for link in matching.links:
            for index, own in enumerate(link.ids):
                if index == 0 or own is None:
                    continue
                label = Text.assemble(
                    flat(matching.reviewers[index], 20, "bold"), ": ", flat(link.names[index] or own, 40)
                )
                if link.ids[0] is not None:
                    label.append(f"  = {matching.reviewers[0]}'s ", style="dim")
                    label.append(flat(link.names[0], 30, "dim"))
                else:
                    label.append(f"  linked to none of {matching.reviewers[0]}'s", style="red")
                choices.add_option(Option(label, id=f"{index}\t{own}"))

    @on(OptionList.OptionSelected, "#match-choices")
    @refuses_when_locked
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        from appraise.tui.screens.dialogs import ChoiceDialog

        if self.current is None or event.option.id is None:
            return
        index_text, own = event.option.id.split("\t", 1)
        index = int(index_text)
        matching = self.current.matching
        targets = [
            (link.canonical, link.names[0] or link.canonical)
            for link in matching.links
            if link.ids[0] is not None and link.ids[index] is None  # one outcome of each file per link
        ]
        if any(i == index and o == own for i, o, _ in self.current.manual):
            targets.append((UNLINK, "none: take back the link made by hand"))
        if not targets:
            self.notify("Every outcome of the first reviewer already has one of this reviewer's.", timeout=4)
            return
        reviewer = matching.reviewers[0]

        def chosen(target: str | None) -> None:
            if target is not None:
                self._relink(index, own, None if target == UNLINK else target)

        self.app.push_screen(ChoiceDialog(f"Which of {reviewer}'s outcomes is it?", targets), callback=chosen)

    def _relink(self, index: int, own: str, target: str | None) -> None:
        by = self.app.who_am_i(self.session.appraisal)
        self.session.ensure_editable()
        try:
            lost = relink(self.path, self.session.appraisal, self.session.checklist, index, own, target, by=by)
        except RematchError as error:
            self.notify(str(error), severity="error", markup=False, timeout=8)
            return
        self.session.refresh()
        self.saver.now()
        self.fill()
        done = f"with {own} = {target}" if target is not None else f"without the link of {own}"
        message = f"The consensus was rebuilt from the reviewers' files {done}."
        if lost:
            message += f" Open again (the sides changed): {', '.join(lost)}."
        self.notify(message, markup=False, timeout=8)


__all__ = ["OutcomeMatchScreen"]
