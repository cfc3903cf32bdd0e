"""Start appraise on an appraisal file, headless, and exit as soon as the first screen is ready."""

import sys
from pathlib import Path

import appraise.cli  # noqa: F401  (as `appraise FILE` does first: the command, its start-up settings)
from appraise.cli.startup import pause_gc

pause_gc()  # as `appraise open FILE` does before it imports the app (run_tui); the app resumes it when ready
from appraise.tui import AppraiseApp  # noqa: E402

if __name__ == "__main__":

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        pilot.app.exit()

    AppraiseApp(Path(sys.argv[1]), cursor_blink=False).run(headless=True, size=(120, 40), auto_pilot=ready)
