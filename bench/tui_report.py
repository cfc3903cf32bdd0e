"""Open the report preview of a full appraisal, headless; print CPU and wall ms from the key to its first paint.

    python bench/tui_report.py APPRAISAL

First paint is the first frame Textual sends to the (headless) terminal while the report screen is
current, caught at App._display; the rest of the report may still be arriving after it.
"""

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from appraise.tui import AppraiseApp


async def main(path: Path) -> None:
    app = AppraiseApp(path, cursor_blink=False)
    painted: list[tuple[float, float]] = []
    display = app._display

    def spy(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if not painted and renderable is not None and type(screen).__name__ == "ReportScreen":
            painted.append((time.process_time(), time.perf_counter()))

    app._display = spy  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start, wall = time.process_time(), time.perf_counter()
        await pilot.press("r")
        while not painted:
            await asyncio.sleep(0.001)
        await app.workers.wait_for_complete()
        done = time.process_time()
        cpu, elapsed = painted[0][0] - start, painted[0][1] - wall
        print(f"{cpu * 1000:.1f} {elapsed * 1000:.1f} {(done - start) * 1000:.1f}")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
