"""A folder of appraisals (e.g. made by ``appraise import``): each study with its progress."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from appraise.files.progress import file_progress
from appraise.files.walker import appraisal_files
from appraise.tui.render import flat, progress_bar
from appraise.tui.screens.base import AppScreen
from appraise.tui.widgets.footer import FittingFooter


class FolderScreen(AppScreen[None]):
    """Studies in a folder with their progress and overall judgement; enter opens one."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "reload", "Reload"),
        Binding("question_mark", "app.help", "Help", key_display="?"),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.paths: list[Path] = []

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("Appraisals in ", "bold"), flat(str(self.folder), 100)), id="folder-title")
        yield DataTable(id="folder-table", cursor_type="row", zebra_stripes=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Study", "Checklist", "Progress", "File")
        self.action_reload()
        table.focus()

    def action_reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.paths = appraisal_files(self.folder)
        for path in self.paths:
            table.add_row(flat(path.stem, 40), "…", Text("reading…", style="dim"), flat(path.name, 40), key=str(path))
        if not self.paths:
            self.notify("No appraisal files in this folder.", severity="warning")
        self.read_progress(list(self.paths))

    @work(thread=True, exclusive=True, exit_on_error=False)
    def read_progress(self, paths: list[Path]) -> None:
        """Read every file off the app's thread; rows fill in as they are read."""
        for path in paths:
            found = file_progress(path)
            if found.problem:
                cells = (flat(path.stem, 40), Text("—"), Text(f"cannot open: {found.problem[:60]}", "red"))
            else:
                cells = (flat(found.study, 40), flat(found.checklist, 16), progress_bar(found.answered, found.total))
            self.app.call_from_thread(self._fill, path, cells)

    def _fill(self, path: Path, cells: tuple[Text, Text, Text]) -> None:
        table = self.query_one(DataTable)
        for column, cell in zip(table.ordered_columns[:3], cells, strict=True):
            table.update_cell(str(path), column.key, cell, update_width=True)  # wider than 'reading…'

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.open_appraisal(Path(str(event.row_key.value)))
