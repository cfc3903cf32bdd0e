"""A new appraisal: choose a checklist, describe the study, and the file is made."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from appraise.core.appraisal import Appraisal, Study, slugify
from appraise.core.checklist import Checklist
from appraise.files import paths
from appraise.files.checklists import available_checklists, load_checklist_file
from appraise.files.problems import FileProblems
from appraise.files.store import new_appraisal, write_appraisal
from appraise.tui.render import flat
from appraise.tui.screens.base import AppScreen
from appraise.tui.widgets.footer import FittingFooter


def default_path(title: str, data_dir: Path | None = None) -> Path:
    """``appraisals/<slug>.yaml`` in the data folder, not overwriting anything."""
    folder = paths.appraisals_dir(data_dir)
    base = slugify(title, "appraisal")
    candidate, n = folder / f"{base}.yaml", 2
    while candidate.exists():
        candidate, n = folder / f"{base}-{n}.yaml", n + 1
    return candidate


def _attach_paper(appraisal: Appraisal, target: Path, paper: Path | None) -> str:
    """Attach the paper to a new appraisal; why it could not be read, or ''."""
    if paper is None:
        return ""
    from appraise.files.papers import PaperError, attach

    try:
        attach(appraisal, target, paper)
    except PaperError as error:
        return str(error)
    return ""


class NewAppraisalScreen(AppScreen[None]):
    """The new-appraisal form."""

    BINDINGS = [
        Binding("ctrl+s", "create", "Create"),
        Binding("escape", "back", "Back"),
        Binding("f1", "app.help", "Help"),  # not ?: that is typed in the fields
        # Priority, like tab: the keys typed after enter belong to the next field.
        Binding("enter", "next_field", "Next field", show=False, priority=True),
    ]

    def __init__(
        self, checklist: Checklist | None = None, output: Path | None = None, *, paper: Path | None = None
    ) -> None:
        super().__init__()
        self.preselected = checklist
        self.output = output
        self.paper = paper
        self.checklists: dict[str, Checklist] = {}

    def compose(self) -> ComposeResult:
        # Outside the scrolling form: at 80×24 focusing the title field scrolls the form's top away.
        yield Static(Text("New appraisal", style="bold"), id="new-title")
        with VerticalScroll(id="new-form"):
            yield Label("Checklist")
            yield OptionList(id="checklist")
            yield Label("Study title")
            yield Input(id="title", placeholder="e.g. Peer support for leaving hospital (PATHWAYS-HOME)")
            yield Label("Authors")
            yield Input(id="authors", placeholder="e.g. Fenwick-Tarrant M, Brightwater O")
            with Horizontal(id="year-doi"):
                with Vertical(classes="field"):
                    yield Label("Year")
                    yield Input(id="year", placeholder="2024", max_length=12)
                with Vertical(classes="field wide"):
                    yield Label("DOI")
                    yield Input(id="doi", placeholder="10.xxxx/…")
            yield Label("Your name (reviewer)")
            yield Input(id="reviewer")
            yield Label("Paper (optional: a PDF, text, Markdown or HTML file)")
            yield Input(id="paper", placeholder="e.g. ~/papers/trial.pdf")
            yield Label("Save as")
            yield Input(id="file", placeholder="made from the title")
            yield Static("", id="problem", classes="problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Create and start", id="create", variant="primary")
                yield Button("Back", id="back")
        yield FittingFooter()

    def on_mount(self) -> None:
        blink = self.app.cursor_blink
        for field in self.query(Input):
            field.cursor_blink = blink
        menu = self.query_one(OptionList)
        problems: list[str] = []
        for entry in available_checklists():
            try:
                checklist = load_checklist_file(entry.path)
            except FileProblems as error:
                problems.append(f"{entry.path.name}: {len(error.problems)} problem(s); run appraise validate")
                continue
            self.checklists[checklist.id] = checklist
            line = Text.assemble((checklist.id, "bold"), f"  v{checklist.version}  ", flat(checklist.title, 60))
            if checklist.description:
                line.append("\n   ")
                line.append(flat(checklist.description, 100, "dim"))
            menu.add_option(Option(line, id=checklist.id))
        if problems:
            self.notify("Some checklists could not be read:\n" + "\n".join(problems), severity="warning", markup=False)
        wanted = self.preselected.id if self.preselected else "peer-support"
        ids = list(self.checklists)
        if self.preselected is not None and wanted not in self.checklists:
            self.checklists[wanted] = self.preselected
            menu.add_option(Option(Text(wanted, style="bold"), id=wanted))
            ids.append(wanted)
        menu.highlighted = ids.index(wanted) if wanted in ids else 0
        if self.output is not None:
            self.query_one("#file", Input).value = str(self.output)
        if self.paper is not None:
            self.query_one("#paper", Input).value = str(self.paper)
        self.query_one("#reviewer", Input).value = self.app.who_am_i()  # --reviewer, or the settings
        self.query_one("#title", Input).focus()

    @on(Input.Changed, "#title")
    def _title_changed(self, event: Input.Changed) -> None:
        if self.output is None:
            self.query_one("#file", Input).placeholder = (
                str(default_path(event.value, self.app.data_dir)) if event.value else "made from the title"
            )

    def action_next_field(self) -> None:
        if not isinstance(self.focused, Input):
            raise SkipAction()  # enter keeps its usual meaning in the checklist list and on buttons
        self.focus_next()

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        menu = self.query_one(OptionList)
        value = {f.id: f.value.strip() for f in self.query(Input) if f.id}
        problem = self._problem
        if menu.highlighted is None:
            problem("Choose a checklist.")
            return
        if not value["title"]:
            problem("Give the study's title (it names the file, too).")
            self.query_one("#title", Input).focus()
            return
        checklist = self.checklists[menu.get_option_at_index(menu.highlighted).id or ""]
        target = Path(value["file"]).expanduser() if value["file"] else default_path(value["title"], self.app.data_dir)
        if not self.app.may_use(target):
            return
        if target.exists():
            problem(f"{target} already exists: choose another name, or open it from the start screen.")
            return
        paper = Path(value["paper"]).expanduser() if value["paper"] else None
        if paper is not None and not self.app.may_use(paper):
            return
        if paper is not None and not paper.is_file():
            problem(f"{paper}: no such file. Fix the path, or leave it empty and attach the paper later.")
            self.query_one("#paper", Input).focus()
            return
        study = Study(title=value["title"], authors=value["authors"], year=value["year"], doi=value["doi"])
        appraisal = new_appraisal(checklist, study, reviewer=value["reviewer"])
        unreadable = _attach_paper(appraisal, target, paper)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_appraisal(target, appraisal)
        except OSError as error:
            problem(f"Could not create {target}: {error.strerror or error}")
            return
        self.app.open_appraisal(target, replace=True)
        if unreadable:
            self.app.notify(
                f"{unreadable}. The appraisal goes on without the paper.", severity="error", timeout=10, markup=False
            )

    def _problem(self, message: str) -> None:
        """Say what is wrong both at the form's foot and as a notice (the foot may be off-screen)."""
        self.query_one("#problem", Static).update(message)
        self.notify(message, severity="error", timeout=6, markup=False)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()
