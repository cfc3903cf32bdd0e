"""The start screen: a new appraisal, recent appraisals with their progress, or any file."""

from __future__ import annotations

import contextlib
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from appraise.files.progress import file_progress
from appraise.tui.render import flat, progress_bar
from appraise.tui.screens.base import AppScreen
from appraise.tui.widgets.footer import FittingFooter


class StartScreen(AppScreen[None]):
    """Where appraise opens with no file: new, recent, open."""

    BINDINGS = [
        Binding("n", "new", "New appraisal"),
        # Priority, like tab: the path typed straight after f belongs in the path field.
        Binding("f", "open_file", "Open a file", priority=True),
        Binding("p", "practice", "Practise"),
        Binding("g", "glossary", "Glossary"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="start"):
            yield Static(
                Text.assemble(("appraise", "bold"), "  critical appraisal of peer-support research"), id="start-title"
            )
            yield Static(
                "Appraise one study with a checklist: its design, how peer support is defined, what the "
                "control group got, what was measured and how trustworthy the result is.",
                id="start-intro",
                markup=False,
            )
            yield OptionList(id="start-menu")
            yield Label("Open a file, or a folder of appraisals (path):", id="open-label")
            yield Input(placeholder="e.g. ~/appraisals/pathways-home.yaml or ~/review/appraisals", id="open-path")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = self.app.cursor_blink
        if self.app.classroom:
            self.query_one("#open-label").display = self.query_one("#open-path").display = False
        self.fill()
        self.query_one(OptionList).focus()

    def fill(self) -> None:
        menu = self.query_one(OptionList)
        menu.clear_options()
        menu.add_option(
            Option(Text.assemble(("+ New appraisal", "bold"), "   choose a checklist and describe the study"), id="new")
        )
        if not self.app.classroom:  # a student in the browser has no files of their own to open
            menu.add_option(
                Option(
                    Text.assemble(("… Open a file or folder", "bold"), "   an appraisal .yaml, or a folder of them"),
                    id="open",
                )
            )
        menu.add_option(
            Option(
                Text.assemble(
                    ("✎ Practise", "bold"), "   appraise a fictional study, then compare with a model answer"
                ),
                id="practice",
            )
        )
        menu.add_option(
            Option(Text.assemble(("? Jargon buster", "bold"), "   research terms in plain words"), id="glossary")
        )
        recent = self.app.state.recent()[:12]
        if recent:
            menu.add_option(None)
            menu.add_option(Option(Text("Recent appraisals", style="bold underline"), disabled=True))
        for path, opened in recent:
            menu.add_option(Option(self._recent_line(path, opened, None), id=f"file:{path}"))
        if recent:
            self.load_progress([path for path, _ in recent])

    def _recent_line(self, path: Path, opened: str, progress: Text | None, study: str = "") -> Text:
        """The study's title (the file's name until it is read), when it was opened, progress and path."""
        when = opened.replace("T", " ")[:16] if opened else ""
        line = Text.assemble(flat(study or path.name, 40, "bold"), "  ", (when, "dim"))
        line.append("\n   ")
        line.append(progress if progress is not None else Text("…", style="dim"))
        line.append("  ")
        line.append(flat(str(path), 70, "dim"))
        return line

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load_progress(self, paths: list[Path]) -> None:
        """Read each recent file's progress off the app's thread, so the screen is instant."""
        for path in paths:
            found = file_progress(path)
            if found.problem:
                bar, study = Text(f"cannot open: {found.problem[:80]}", style="red"), ""
            else:
                bar, study = progress_bar(found.answered, found.total), found.study
            self.app.call_from_thread(self._update_recent, path, bar, study)

    def _update_recent(self, path: Path, bar: Text, study: str) -> None:
        menu = self.query_one(OptionList)
        opened = dict(self.app.state.recent()).get(path, "")
        with contextlib.suppress(OptionDoesNotExist):  # the list was rebuilt meanwhile; fill shows it
            menu.replace_option_prompt(f"file:{path}", self._recent_line(path, opened, bar, study))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if choice == "new":
            self.action_new()
        elif choice == "open":
            self.action_open_file()
        elif choice == "practice":
            self.action_practice()
        elif choice == "glossary":
            self.action_glossary()
        elif choice.startswith("file:"):
            self.app.open_appraisal(Path(choice[5:]))

    def action_practice(self) -> None:
        from appraise.learning.practice import find_vignette, list_vignettes
        from appraise.tui.screens.dialogs import ChoiceDialog

        entries, _ = list_vignettes()
        if not entries:
            self.notify("No practice vignettes are installed.", severity="warning")
            return

        def chosen(vignette_id: str | None) -> None:
            if vignette_id:
                path = self.app.new_practice_file(find_vignette(vignette_id))
                self.app.open_appraisal(path)

        items = [(e.id, f"{e.title} — {e.summary}") for e in entries]
        self.app.push_screen(
            ChoiceDialog(
                "Practise on which study?",
                items,
                note="Fictional studies with model answers. Read the study beside the "
                "questions (v), then press f for feedback.",
            ),
            callback=chosen,
        )

    def action_glossary(self) -> None:
        from appraise.tui.screens.glossary import GlossaryScreen

        self.app.push_screen(GlossaryScreen())

    def action_new(self) -> None:
        from appraise.tui.screens.new import NewAppraisalScreen

        self.app.push_screen(NewAppraisalScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "open_file" and self.app.classroom)

    def action_open_file(self) -> None:
        if isinstance(self.focused, Input):
            raise SkipAction()  # an f typed in the path is part of the path
        self.set_focus(self.query_one("#open-path", Input))  # at once: Widget.focus() waits behind queued keys

    @on(Input.Submitted, "#open-path")
    def _open_path(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if not self.app.may_use(path):
            return
        if path.is_dir():
            from appraise.tui.screens.folder import FolderScreen

            self.app.push_screen(FolderScreen(path))
        elif path.is_file():
            self.app.open_appraisal(path)
        else:
            self.notify(f"No such file or folder: {path}", severity="error", markup=False)

    def on_screen_resume(self) -> None:
        self.fill()
