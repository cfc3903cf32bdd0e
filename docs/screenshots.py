"""The README's pictures, exported by the app itself under ``run_test`` at a fixed size.

``make screenshots`` runs this; ``tests/core/test_screenshots.py`` checks the files are current.
Every picture is of fictional studies shipped with appraise, in a temporary data folder, so the
result depends only on the code and the bundled content.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
DATA = ROOT / "tests" / "data"
SIZE = (120, 36)

Scene = Callable[[Any, Any], Awaitable[None]]


async def _question(app: Any, pilot: Any) -> None:
    app.screen.jump_to("B4")
    await pilot.pause()


async def _judgements(app: Any, pilot: Any) -> None:
    await pilot.press("s")
    await pilot.pause()


async def _feedback(app: Any, pilot: Any) -> None:
    # A few answers, one of them not the model answer's, then the feedback.
    await pilot.press("2", "1", "1", "3")
    await app.workers.wait_for_complete()
    await pilot.press("f")
    await pilot.pause()
    await pilot.press("down", "down")  # the answer that differs, with the model answer's reason
    await pilot.pause()


async def _resolve(app: Any, pilot: Any) -> None:
    await pilot.press("down")  # a question, with both reviewers' notes and quotes
    await pilot.pause()


async def _shoot(folder: Path, make: Callable[[Path], Any], scene: Scene, title: str) -> str:
    app = make(folder)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await scene(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        svg: str = app.export_screenshot(title=title)
    return svg.replace(str(folder), "~")  # no temporary path in a picture


def scenes(work: Path) -> dict[str, tuple[Callable[[Path], Any], Scene, str]]:
    """File name → (how to make the app, what to do, the picture's title)."""
    from appraise.cli import cli
    from appraise.learning.practice import find_vignette
    from appraise.tui import AppraiseApp

    study = work / "pathways-home.yaml"
    shutil.copy(DATA / "pathways-home.yaml", study)
    consensus = work / "pathways-home-consensus.yaml"
    a, b = (str(DATA / f"pathways-home-reviewer-{x}.yaml") for x in "ab")
    with contextlib.redirect_stderr(io.StringIO()):  # its "wrote … N to resolve" is not news here
        cli.main(["consensus", a, b, "-o", str(consensus)], standalone_mode=False)

    def app(path: Path | None = None, **kwargs: Any) -> Callable[[Path], Any]:
        return lambda data: AppraiseApp(path, data_dir=data, cursor_blink=False, **kwargs)

    return {
        "question.svg": (app(study), _question, "appraise: a question, with why it matters and where to look"),
        "judgements.svg": (app(study), _judgements, "appraise: proposed judgements and their rule traces"),
        "practice-feedback.svg": (
            app(practice=find_vignette("hope-rising")),
            _feedback,
            "appraise: practice feedback against the model answer",
        ),
        "compare-resolve.svg": (app(consensus), _resolve, "appraise: two reviewers' answers side by side"),
    }


async def export(target: Path) -> list[Path]:
    """Write every picture into ``target``; the paths written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    before = os.environ.get("APPRAISE_DATA_DIR")
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        os.environ["APPRAISE_DATA_DIR"] = str(work / "data")  # never the user's own checklists or state
        try:
            for name, (make, scene, title) in scenes(work).items():
                data = work / f"data-{name}"
                (target / name).write_text(await _shoot(data, make, scene, title), encoding="utf-8")
                written.append(target / name)
        finally:
            if before is None:
                del os.environ["APPRAISE_DATA_DIR"]
            else:
                os.environ["APPRAISE_DATA_DIR"] = before
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    for path in asyncio.run(export(Path(sys.argv[1]) if len(sys.argv) > 1 else IMAGES)):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
