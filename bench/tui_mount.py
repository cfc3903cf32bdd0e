"""Mount only: CPU ms from App start to the first interactive screen, with every import done beforehand.

python bench/tui_mount.py floor
python bench/tui_mount.py appraise APPRAISAL
"""

import sys
import time
from pathlib import Path
from typing import Any

from tui_floor import FloorApp

import appraise.cli  # noqa: F401  (as `appraise FILE` does first: the command, its start-up settings)
from appraise.tui import AppraiseApp
from appraise.tui.screens import appraisal as _appraisal_screen  # noqa: F401  (imported before timing)

if __name__ == "__main__":
    app: Any = FloorApp() if sys.argv[1] == "floor" else AppraiseApp(Path(sys.argv[2]), cursor_blink=False)
    start: list[float] = []

    async def ready(pilot: Any) -> None:
        await pilot.pause()
        print(f"{(time.process_time() - start[0]) * 1000:.1f}")
        pilot.app.exit()

    start.append(time.process_time())
    app.run(headless=True, size=(120, 40), auto_pilot=ready)
