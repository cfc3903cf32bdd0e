"""The way to every screen and dialog of the app, as a reader gets there: shared by the snapshots
and by the check that every key is in the footer or on the help screen.

Each route names the file the app opens and the keys pressed after it settles. Paths that a
screen prints are relative to the test's folder (the test changes into it), so pictures are stable.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

import appraise
from appraise.cli import cli
from appraise.files.store import write_appraisal
from appraise.learning.practice import find_vignette, start_practice
from tests.conftest import DATA

Step = Callable[[Any], Awaitable[None]]


async def settled(pilot: Any) -> None:
    """Workers done, the screen on top mounted, animations over."""
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.app.animator.wait_until_complete()
        await pilot.pause()
        if pilot.app.screen.is_mounted:
            return


def keys(*pressed: str) -> Step:
    """Press keys, letting the app settle after each (screens open on a key)."""

    async def run(pilot: Any) -> None:
        await settled(pilot)
        for key in pressed:
            await pilot.press(key)
            await settled(pilot)

    return run


def at(question: str, *pressed: str) -> Step:
    """Go to a question, then press keys."""

    async def run(pilot: Any) -> None:
        await settled(pilot)
        pilot.app.screen.jump_to(question)
        await keys(*pressed)(pilot)

    return run


async def export_dialog(pilot: Any) -> None:
    """The export dialog over the questions, with a fixed path (the real one is a temporary folder)."""
    from appraise.tui.screens.report import ExportDialog

    await settled(pilot)
    screen = pilot.app.screen
    pilot.app.push_screen(ExportDialog(screen.session, screen.store.path))
    await settled(pilot)
    pilot.app.screen.query_one("#target").value = "/home/reader/reports/pathways-home-report.md"
    await settled(pilot)


async def folder(pilot: Any) -> None:
    """The folder screen on ``review/`` (two appraisals), as opened from the start screen."""
    from appraise.tui.screens.folder import FolderScreen

    await settled(pilot)
    pilot.app.push_screen(FolderScreen(Path("review")))
    await settled(pilot)


def on_open_item(*pressed: str) -> Step:
    """In the resolve view, on the first open answer of an outcome, then press keys."""

    async def run(pilot: Any) -> None:
        await settled(pilot)
        screen = pilot.app.screen
        row = next(i for i, item in enumerate(screen.items) if item.kind == "answer" and item.outcome_id)
        screen.query_one("#resolve-table").move_cursor(row=row)
        await keys(*pressed)(pilot)

    return run


async def changed_on_disk(pilot: Any) -> None:
    """Another program changes the file, then the reader answers: the app asks before writing over it."""
    await settled(pilot)
    path = pilot.app.screen.store.path
    path.write_text(path.read_text(encoding="utf-8").replace("PATHWAYS-HOME", "PATHWAYS-2"), encoding="utf-8")
    await keys("2")(pilot)


async def command_palette(pilot: Any) -> None:
    """Textual's command palette searching for "attach", once its list is gathered (a worker, started after
    each key). A search, not the list it opens with: that list's order depends on which provider answers first.
    """
    from textual.command import CommandList

    await keys("ctrl+p", *"attach")(pilot)
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if pilot.app.screen.query_one(CommandList).option_count and all(w.is_finished for w in pilot.app.workers):
            return


def calling(method: str) -> Step:
    """Call a method of the screen on top, as a command of the palette does, and settle."""

    async def run(pilot: Any) -> None:
        await settled(pilot)
        getattr(pilot.app.screen, method)()
        await settled(pilot)

    return run


# name: (which file the app opens, what to do before looking)
ROUTES: dict[str, tuple[str, Step]] = {
    "start": ("none", keys()),
    "start-practice-list": ("none", keys("p")),
    "new-appraisal-form": ("new", keys()),
    "folder": ("none", folder),
    "questions": ("pathways", keys()),
    "questions-chosen-answer": ("pathways", at("B4")),
    "questions-why-and-where": ("pathways", at("B4", "i")),
    "questions-section-list": ("pathways", at("B4", "n")),
    "questions-note": ("pathways", at("B4", "tab")),
    "help": ("pathways", keys("question_mark")),
    "help-end": ("pathways", keys("question_mark", "end")),
    "glossary": ("pathways", at("E2", "g")),
    "outcomes": ("pathways", keys("o")),
    "outcome-form": ("pathways", keys("o", "a")),
    "remove-outcome-dialog": ("pathways", keys("o", "d")),
    "judgements": ("pathways", keys("s")),
    "override-dialog": ("pathways", keys("s", "down", "down", "o")),
    "report-preview": ("pathways", keys("r")),
    "export-dialog": ("pathways", export_dialog),
    "copy-answers-dialog": ("pathways", at("E1", "c")),
    "practice-questions": ("practice", keys()),
    "practice-vignette": ("practice", keys("v")),
    "practice-feedback": ("practice", keys("1", "3", "1", "1", "f")),
    "resolve": ("consensus", keys()),
    "resolve-new-answer-dialog": ("consensus", on_open_item("n")),
    "resolve-reason-dialog": ("consensus", on_open_item("n", "1")),
    "resolve-matching": ("consensus", keys("m")),
    "cannot-open-dialog": ("broken", keys()),
    "changed-on-disk-dialog": ("pathways-here", changed_on_disk),
    "complete-and-lock-dialog": ("pathways", keys("L")),
    "command-palette": ("pathways", command_palette),
    "attach-paper-prompt": ("pathways", calling("ask_attach")),
    "attach-other-document-dialog": ("pathways", calling("ask_attach_other")),
}


def app_for(opens: str, make_app: Callable[..., Any], folder: Path) -> Any:
    """The app a route starts from, with its files made in ``folder`` (the test's working folder)."""
    if opens == "pathways":
        path = folder / "pathways-home.yaml"
        shutil.copy(DATA / "pathways-home.yaml", path)
        return make_app(path)
    if opens == "practice":
        path = folder / "practice.yaml"
        write_appraisal(path, start_practice(find_vignette("pathways-home")))
        return make_app(path)
    if opens == "consensus":
        merged = folder / "consensus.yaml"
        reviewers = [str(DATA / f"pathways-home-reviewer-{side}.yaml") for side in "ab"]
        result = CliRunner().invoke(cli, ["consensus", *reviewers, "-o", str(merged)])
        assert result.exit_code == 0, result.output
        return make_app(merged)
    if opens in {"broken", "pathways-here"}:  # opened by a relative path: the dialog names it the same in every run
        name = "pathways-home.yaml" if opens == "pathways-here" else "broken.yaml"
        text = (DATA / "pathways-home.yaml").read_text(encoding="utf-8")
        if opens == "broken":
            text = text.replace("A2: rct", "A2: rtc")  # an answer the checklist does not have
        (folder / name).write_text(text, encoding="utf-8")
        return make_app(Path(name))
    if opens == "new":
        return make_app(checklist=appraise.load_checklist("peer-support"))
    (folder / "review").mkdir()
    for name in ("pathways-home.yaml", "pathways-home-reviewer-b.yaml"):
        shutil.copy(DATA / name, folder / "review" / name)
    return make_app()
