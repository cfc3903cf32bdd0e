"""The report screen: the Markdown report with its contents, and export to Markdown, HTML or JSON."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, MarkdownViewer, RadioSet, Static

from appraise.core.session import Session
from appraise.files import paths
from appraise.files.store import LoadedAppraisal
from appraise.reports import formats
from appraise.reports.environment import ReportError, markdown_text
from appraise.reports.report import build_report, render_report
from appraise.tui.screens.base import AppModal, AppScreen
from appraise.tui.widgets.footer import FittingFooter
from appraise.tui.widgets.toggles import MarkedRadioButton

FORMATS = formats.tui_formats("report")
"""The export list, from the one registry of output formats."""


def render(session: Session, path: Path, fmt: str) -> str | bytes:
    """The report of the session's appraisal as it is now (saved or not); bytes for binary formats.

    When the user's own copy of the report template fails, the bundled one is used and the
    failure is said at the top (Markdown) rather than stopping the app.
    """
    loaded = LoadedAppraisal(path, session.appraisal, session.checklist)
    writer = formats.FORMATS[fmt].writer("report")
    if writer is not None:
        return writer(build_report(loaded))
    try:
        return render_report(loaded, fmt)
    except ReportError as error:
        name = formats.templates("report").get(fmt)
        if name is None or not (paths.user_templates() / name).is_file():
            raise  # not the user's template that failed: nothing to fall back from
        text = render_report(loaded, fmt, bundled=True)
        if fmt != "md":
            return text
        return f"> **Your report template failed**, so the bundled one is shown: {markdown_text(error)}\n\n{text}"


def sections(markdown: str, first_lines: int = 12) -> list[str]:
    """The report cut before its ``## `` headings: the first part has at least ``first_lines`` lines (a screenful)."""
    parts: list[list[str]] = [[]]
    for line in markdown.splitlines(keepends=True):
        if line.startswith("## ") and len(parts[-1]) and (len(parts) > 1 or len(parts[0]) >= first_lines):
            parts.append([])
        parts[-1].append(line)
    return ["".join(part) for part in parts]


class ReportScreen(AppScreen[None]):
    """Preview the Markdown report; export it in any format."""

    BINDINGS = [
        Binding("escape,r", "app.pop_screen", "Back"),
        Binding("e", "export", "Export…"),
        Binding("t", "toggle_toc", "Contents"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, session: Session, path: Path) -> None:
        super().__init__()
        self.session = session
        self.path = path

    def compose(self) -> ComposeResult:
        # Below 100 columns the contents would crowd out the report: hidden until t is pressed.
        wide = self.app.size.width >= 100
        first, *self._rest = sections(str(render(self.session, self.path, "md")))
        yield MarkdownViewer(first, show_table_of_contents=wide, id="viewer")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(MarkdownViewer).focus()
        if self._rest:
            self._append_rest()

    @work(exclusive=True, group="report-preview")
    async def _append_rest(self) -> None:
        """Add the report's other sections after the first paint: a full report is hundreds of widgets,
        and mounting them all before showing anything took seconds."""
        document = self.query_one(MarkdownViewer).document
        for section in self._rest:
            await document.append(section)

    def action_toggle_toc(self) -> None:
        viewer = self.query_one(MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents

    def action_export(self) -> None:
        self.app.push_screen(ExportDialog(self.session, self.path))


class ExportDialog(AppModal[Path | None]):
    """Choose a format and a path; the report is written there (atomically) and named in a notice."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, session: Session, path: Path) -> None:
        super().__init__(classes="dialog")
        self.session = session
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text("Export the report", style="bold"), classes="dialog-title")
            with RadioSet(id="format"):
                for i, (fmt, label) in enumerate(FORMATS.items()):
                    yield MarkedRadioButton(label, value=i == 0, id=f"fmt-{fmt}")
            yield Label("Save to")
            yield Input(str(self._default_path("md")), id="target")
            yield Static("", id="problem", classes="problem", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Export", id="export", variant="primary")
                yield Button("Cancel", id="cancel")
        yield FittingFooter()  # the dialog's own keys, over the screen below's (which do not work here)

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = self.app.cursor_blink
        self.query_one(RadioSet).focus()

    @property
    def fmt(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return (pressed.id or "fmt-md").removeprefix("fmt-") if pressed else "md"

    def _default_path(self, fmt: str) -> Path:
        remembered = self.app.setting("export_folder")
        folder = Path(remembered) if remembered and Path(remembered).is_dir() else self.path.parent
        return folder / f"{self.path.stem}-report{formats.FORMATS[fmt].suffixes[0]}"

    @on(RadioSet.Changed)
    def _format_changed(self) -> None:
        target = self.query_one("#target", Input)
        current = Path(target.value) if target.value else self._default_path(self.fmt)
        target.value = str(current.with_suffix(formats.FORMATS[self.fmt].suffixes[0]))
        target.cursor_position = len(target.value)  # a long path shows its end: the name and format

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        value = self.query_one("#target", Input).value.strip()
        if not value:
            self.query_one("#problem", Static).update("Give a file name.")
            return
        if self.app.may_use(Path(value).expanduser()):
            self.write(Path(value).expanduser(), self.fmt)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def write(self, target: Path, fmt: str) -> None:
        try:
            text = render(self.session, self.path, fmt)
            target.parent.mkdir(parents=True, exist_ok=True)
            formats.write_output(target, text)
        except (OSError, ReportError) as error:  # shown to the reader, who can pick another place
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._done, target, fmt)

    def _failed(self, reason: str) -> None:
        self.query_one("#problem", Static).update(f"Could not export: {reason}")

    def _done(self, target: Path, fmt: str) -> None:
        self.app.set_setting("export_folder", str(target.parent.resolve()))
        self.app.notify(
            f"Exported the {FORMATS[fmt].split(' ')[0]} report to {target}",
            title="Report exported",
            markup=False,
            timeout=8,
        )
        self.dismiss(target)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
