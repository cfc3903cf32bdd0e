"""Answer and advance: CPU ms per digit key (every thread, the save thread too) on a 200-question checklist.

    python bench/tui_keys.py floor KEYS
    python bench/tui_keys.py appraise KEYS APPRAISAL

Prints one JSON list of per-key CPU milliseconds: process_time() around press and pause, because a
headless Pilot's wall time is dominated by its own idle wait.
"""

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from tui_floor import FloorApp

from appraise.tui import AppraiseApp


def synthetic_checklist(folder: Path, sections: int = 10, per_section: int = 20) -> Path:
    """A 200-question checklist with rules in every section (count and any/all conditions)."""
    lines = ["id: synthetic", 'version: "1"', "title: Synthetic 200", "answer_sets:", "  ypnu:"]
    lines += [f'    - {{code: "{c}", label: "{c}"}}' for c in ("Y", "P", "N", "U")]
    lines.append("sections:")
    for s in range(sections):
        ids = [f"S{s}Q{q}" for q in range(per_section)]
        lines += [
            f"  - id: S{s}",
            f"    title: Section {s}",
            "    judgements:",
            "      - {code: low, label: Low, concern: low}",
            "      - {code: some, label: Some, concern: some}",
            "      - {code: high, label: High, concern: high}",
            "    questions:",
        ]
        lines += [f"      - {{id: {q}, text: Question {q}?, options: ypnu}}" for q in ids]
        lines += [
            "    rules:",
            f'      - when: {{count: [{", ".join(ids)}], in: ["N"], at_least: 3}}',
            "        then: high",
            f"      - when: {{any: [{', '.join(f'{{answer: {q}, in: [P, U]}}' for q in ids[:10])}]}}",
            "        then: some",
            "    default: low",
        ]
    path = folder / "synthetic.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def measure(app: Any, keys: int) -> list[float]:
    costs = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(keys):
            start = time.process_time()
            await pilot.press("1")
            await pilot.pause()
            costs.append((time.process_time() - start) * 1000)
        await app.workers.wait_for_complete()
    return costs


if __name__ == "__main__":
    keys = int(sys.argv[2])
    app: Any = FloorApp() if sys.argv[1] == "floor" else AppraiseApp(Path(sys.argv[3]), cursor_blink=False)
    print(json.dumps(asyncio.run(measure(app, keys))))
