"""The appraise app: opens an appraisal, a new-appraisal form, or the start screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.screen import Screen

from appraise.cli.startup import resume_gc
from appraise.core.appraisal import Appraisal
from appraise.core.checklist import Checklist
from appraise.core.session import Session
from appraise.files import paths
from appraise.files.appstate import AppState
from appraise.files.problems import FileProblems
from appraise.files.store import AppraisalStore, LoadedAppraisal, write_appraisal
from appraise.tui import terminal_guard
from appraise.tui.commands import JumpProvider
from appraise.tui.hangup import end_on_signals, guarded
from appraise.tui.keyorder import KeyOrder
from appraise.tui.screens.appraisal import AppraisalScreen, appraisal_screen
from appraise.tui.screens.appraisal_saving import SavingHandling

if TYPE_CHECKING:
    from appraise.learning.practice import Vignette

terminal_guard.install()  # before any screen renders: nothing from a file may act on the terminal


class AppraiseApp(App[None]):
    """Critical appraisal in the terminal. Construct with an appraisal path (or none)."""

    CSS_PATH = "app.tcss"
    TITLE = "appraise"
    COMMANDS = App.COMMANDS | {JumpProvider}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help", show=False),
        # Priority: focus moves before the keys typed right after Tab are handed to a widget, so
        # fast typing (or a paste of keys) lands in the field the reader tabbed to.
        Binding("tab", "focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "Previous field", show=False, priority=True),
    ]
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        checklist: Checklist | None = None,
        output: Path | None = None,
        practice: Vignette | None = None,
        state: AppState | None = None,
        data_dir: Path | None = None,
        stores: Callable[[Path], AppraisalStore] = AppraisalStore,
        cursor_blink: bool = True,
        paper: Path | None = None,
        classroom: bool = False,
        reviewer: str = "",
    ) -> None:
        """``data_dir`` and ``state`` are the user's folder and what is remembered in it; ``stores``
        opens an appraisal file for reading and saving. Passed in (tests hand over a temporary
        folder), so no screen builds its own."""
        super().__init__()
        self.paper = paper
        """A paper to attach to the new appraisal (``appraise new --paper``)."""
        self.data_dir = data_dir or paths.data_dir()
        self.stores = stores
        self.path = Path(path) if path is not None else None
        self.new_checklist = checklist
        self.output = output
        self.practice = practice
        self.state = state or AppState(paths.state_dir(self.data_dir))
        self.cursor_blink = cursor_blink
        """Tests and snapshots turn blinking off so that screenshots are stable."""
        self.classroom = classroom
        """Served to students (``appraise serve --classroom``): only practice and new appraisals, and
        no file is opened or written outside ``data_dir``, the browser session's own folder."""
        self.reviewer = reviewer
        """Who the user said they are (``--reviewer``); see :meth:`who_am_i`."""
        self.palette: str = self.state.setting("palette", "cochrane")
        self._position_dirty = False
        self._settings_ready = False
        """Theme changes are remembered only once the saved theme has been applied."""
        self._problems: list[str] | None = None
        """Why the last file could not be opened."""
        self._quit_anyway = False
        """Set for a few seconds after a quit was refused because saving failed."""
        self._key_order = KeyOrder(self)

    def get_default_screen(self) -> Screen[Any]:
        """The first screen is the one the reader asked for (no blank screen to switch from)."""
        if self.practice is not None:
            self.path = self.new_practice_file(self.practice, self.output)
        if self.path is not None:
            screen = self._appraisal_screen(self.path)
            if screen is not None:
                return screen
            return Screen()  # on_mount explains why the file could not be opened
        if self.new_checklist is not None:
            from appraise.tui.screens.new import NewAppraisalScreen

            return NewAppraisalScreen(self.new_checklist, self.output, paper=self.paper)
        from appraise.tui.screens.start import StartScreen

        return StartScreen()

    def on_ready(self) -> None:
        resume_gc()  # the first screen is up: start-up (paused by the command that opened the app) is over

    def on_mount(self) -> None:
        self.set_interval(1.0, self._save_positions)
        if not self.is_headless:
            end_on_signals(self, self._flush_everything)
        theme = self.state.setting("theme")
        if theme in self.available_themes:
            self.theme = theme
        self._settings_ready = True
        if self._problems is not None and self.path is not None:
            self._cannot_open(self.path, self._problems, first=True)

    def get_driver_class(self) -> type[Driver]:
        return guarded(super().get_driver_class())  # a terminal that goes away ends the app, never hangs it

    async def on_event(self, event: events.Event) -> None:
        # Keys typed quickly are handled in the order typed, each after the last one's effects.
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded and self._key_order.hold(event):
            return
        await super().on_event(event)

    def watch_theme(self, theme: str) -> None:
        if self._settings_ready and theme != self.state.setting("theme"):
            self.state.set_setting("theme", theme)

    # opening ------------------------------------------------------------------------------------

    def may_use(self, path: Path) -> bool:
        """Whether this app may open or write ``path`` (in the classroom: only inside its own folder)."""
        if not self.classroom:
            return True
        if path.resolve().is_relative_to(self.data_dir.resolve()):
            return True
        self.notify("In the classroom, files stay in this session's own folder.", severity="error")
        return False

    def open_appraisal(self, path: Path, *, replace: bool = False) -> None:
        """Open an appraisal file on the appraisal screen (problems are shown, nothing is changed)."""
        if not self.may_use(path):
            return
        screen = self._appraisal_screen(path)
        if screen is None:
            self._cannot_open(path, self._problems or [], first=False)
        elif replace and len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def who_am_i(self, appraisal: Appraisal | None = None) -> str:
        """Who is at work: ``--reviewer``, else the file's (person's) reviewer, else the data folder's settings."""
        from appraise.files.settings import personal_reviewer, who_am_i

        file_reviewer = personal_reviewer(appraisal) if appraisal is not None else ""
        try:
            return who_am_i(self.reviewer, file_reviewer, base=self.data_dir)
        except FileProblems as error:
            self.notify("\n".join(str(p) for p in error.problems), severity="warning", markup=False)
            return self.reviewer or file_reviewer

    def _appraisal_screen(self, path: Path) -> AppraisalScreen | None:
        """The appraisal screen for a file, or None (with ``_problems`` set) if it cannot be used."""
        store = self.stores(path)
        store.reviewer, store.settings_base = self.reviewer, self.data_dir  # who the history names
        try:
            loaded = store.load()
        except FileProblems as error:
            self._problems = [str(p) for p in error.problems]
            return None
        if loaded.errors:
            self._problems = [str(p) for p in loaded.problems]
            return None
        self._problems = None
        for warning in loaded.warnings:
            self.notify(str(warning), severity="warning", timeout=10, markup=False)
        session = Session(loaded.appraisal, loaded.checklist)
        position = self.state.position(path)
        start = session.index_of(position) if position else None
        self.state.remember(path)
        practice = self._vignette_for(loaded)
        return appraisal_screen(session, store, start=start, width=self.size.width, practice=practice)

    def _vignette_for(self, loaded: LoadedAppraisal) -> Vignette | None:
        """The vignette of a practice appraisal (None for ordinary ones, or if it is gone)."""
        if "practice" not in (loaded.appraisal.model_extra or {}):
            return None  # an ordinary appraisal: no need for the practice module (~5 ms of start-up)
        from appraise.learning.practice import find_vignette, vignette_of

        vignette_id = vignette_of(loaded.appraisal)
        if vignette_id is None:
            return None
        try:
            return find_vignette(vignette_id)
        except (LookupError, FileProblems):
            self.notify(
                f"The practice vignette {vignette_id!r} is missing; feedback is unavailable.",
                severity="warning",
                markup=False,
            )
            return None

    def new_practice_file(self, vignette: Vignette, output: Path | None = None) -> Path:
        """Write a new practice appraisal of ``vignette`` (never over an existing file); return its path."""
        if output is None:
            folder = paths.practice_dir(self.data_dir)
            output, n = folder / f"{vignette.id}.yaml", 2
            while output.exists():
                output, n = folder / f"{vignette.id}-{n}.yaml", n + 1
        output.parent.mkdir(parents=True, exist_ok=True)
        from appraise.learning.practice import start_practice

        write_appraisal(output, start_practice(vignette))
        return output

    def _cannot_open(self, path: Path, problems: list[str], first: bool) -> None:
        from appraise.tui.screens.dialogs import ConfirmDialog

        message = "\n".join(problems[:12]) + ("\n…" if len(problems) > 12 else "")
        message += (
            "\n\nThe file has not been changed. Fix it (appraise validate shows every problem) and open it again."
        )

        def done(_: str | None) -> None:
            if first:
                self.exit(return_code=1)

        self.push_screen(ConfirmDialog(f"Cannot open {path.name}", message, [("ok", "OK")]), callback=done)

    # remembering --------------------------------------------------------------------------------

    def remember_position(self, path: Path, key: tuple[str, str | None]) -> None:
        """Where the reader is; written by a slow interval, not on every key."""
        self.state.remember(path, key, write=False)
        self._position_dirty = True

    def _save_positions(self) -> None:
        if self._position_dirty:
            self._position_dirty = False
            self.state.save()

    def setting(self, name: str, default: Any = None) -> Any:
        """A remembered setting."""
        return self.state.setting(name, default)

    def set_setting(self, name: str, value: Any) -> None:
        """Remember a setting."""
        self.state.set_setting(name, value)

    # commands -----------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, AppraisalScreen):
            yield SystemCommand("Export report…", "Write the report as Markdown, HTML or JSON", self._export)
            yield SystemCommand(
                "Undo", "Undo the last change to an answer, note or judgement (ctrl+z)", screen.action_undo
            )
            yield SystemCommand(
                "Judgements", "Proposed and final judgements, with rule traces", screen.action_judgements
            )
            yield SystemCommand("Report preview", "Read the Markdown report", screen.action_report)
            yield SystemCommand("Outcomes", "Add, rename or remove outcomes", screen.action_outcomes)
            yield SystemCommand(
                "Attach paper…",
                "The paper appraised (PDF, text, Markdown, HTML): read it and check quotes",
                screen.ask_attach,
            )
            yield SystemCommand(
                "Attach protocol, supplement or registry record…",
                "Another document the appraisal rests on; quotes are checked against it too",
                screen.ask_attach_other,
            )
        other = "colourblind" if self.palette == "cochrane" else "cochrane"
        yield SystemCommand(
            f"Use the {other} palette",
            "Colours of judgement badges (robvis palettes)",
            lambda: self._use_palette(other),
        )

    def _export(self) -> None:
        from appraise.tui.screens.report import ExportDialog

        screen = self.screen
        if isinstance(screen, AppraisalScreen):
            self.push_screen(ExportDialog(screen.session, screen.store.path))

    def _use_palette(self, palette: str) -> None:
        self.palette = palette
        self.set_setting("palette", palette)
        for screen in self.screen_stack:
            if isinstance(screen, AppraisalScreen):
                screen.refresh_all()

    def action_help(self) -> None:
        from appraise.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # changes by others, and quitting --------------------------------------------------------------

    def ask_about_external_change(self, screen: SavingHandling) -> None:
        """The file changed on disk under us: ask before writing over it."""
        from appraise.tui.screens.dialogs import ConfirmDialog

        def decided(choice: str | None) -> None:
            if choice == "overwrite":
                screen.resume_saving(overwrite=True)
            elif choice == "reload":
                self._reload(screen)
            else:  # later: nothing is written; the next change asks again
                screen.resume_saving(overwrite=False)

        self.push_screen(
            ConfirmDialog(
                "The file changed on disk",
                f"{screen.store.path} was changed by another program since appraise last read or wrote it.\n\n"
                "Overwrite: save your version over it.  Reload: open the file as it is now (your unsaved "
                "changes are dropped).  Later: keep working; nothing is written until you decide.",
                [("overwrite", "Overwrite"), ("reload", "Reload"), ("later", "Later")],
                danger="overwrite",
            ),
            callback=decided,
        )

    def _reload(self, old: SavingHandling) -> None:
        """Show the file as it is now on the same appraisal screen.

        The screen is kept and given the reloaded session: opened with ``appraise open`` it is the
        app's first screen, which can be neither popped (no screen would be left) nor switched.
        """
        while self.screen is not old and len(self.screen_stack) > 1:
            self.pop_screen()
        fresh = self._appraisal_screen(old.store.path)
        if fresh is None:
            old.resume_saving(overwrite=False)
            self._cannot_open(old.store.path, self._problems or [], first=False)
        else:
            old.reload_from(fresh)

    def _flush_everything(self) -> None:
        """Save every open appraisal and the app's state at once (a signal asked us to stop)."""
        for screen in self.screen_stack:
            if isinstance(screen, AppraisalScreen):
                self.state.remember(screen.store.path, screen.slot.key, write=False)
                screen.flush()  # a file changed on disk is left alone, as on quit
        self.state.save()

    async def action_quit(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, AppraisalScreen):
                self.state.remember(screen.store.path, screen.slot.key, write=False)
                problem = screen.flush()
                if problem == "changed on disk":
                    self.ask_about_external_change(screen)
                    return
                if problem is not None:
                    self.notify(
                        f"Not saved: {problem}. Fix it, or press ctrl+q again in 5 s to quit anyway.",
                        severity="error",
                        markup=False,
                    )
                    if not self._quit_anyway:
                        self._quit_anyway = True
                        self.set_timer(5.0, lambda: setattr(self, "_quit_anyway", False))
                        return
        self.state.save()
        self.exit()
