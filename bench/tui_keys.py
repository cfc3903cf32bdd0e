"""Answer and advance: CPU ms per digit key (every thread, the save thread too) on a 200-question checklist.

    python bench/tui_keys.py floor KEYS
    python bench/tui_keys.py appraise KEYS APPRAISAL
    python bench/tui_keys.py setup 0 APPRAISAL     (write the synthetic checklist and a new appraisal)
    python bench/tui_keys.py count 0 APPRAISAL     (print how many answers the file has)

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

import appraise.cli  # noqa: F401  (as `appraise FILE` does first: the command, its start-up settings)
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


def setup(target: Path) -> None:
    """The synthetic checklist (as a user checklist, found by id) and a new appraisal made with it."""
    from appraise.core.appraisal import Study
    from appraise.files import paths
    from appraise.files.checklists import load_checklist
    from appraise.files.store import new_appraisal, write_appraisal

    paths.user_checklists().mkdir(parents=True, exist_ok=True)
    checklist = load_checklist(synthetic_checklist(paths.user_checklists()))
    write_appraisal(target, new_appraisal(checklist, Study(title="Synthetic")))


if __name__ == "__main__":
    if sys.argv[1] in {"setup", "count"}:
        from appraise.files.store import load_appraisal

        if sys.argv[1] == "setup":
            setup(Path(sys.argv[3]))
        else:
            print(len(load_appraisal(Path(sys.argv[3])).appraisal.answers))
        sys.exit()
    keys = int(sys.argv[2])
    app: Any = FloorApp() if sys.argv[1] == "floor" else AppraiseApp(Path(sys.argv[3]), cursor_blink=False)
    print(json.dumps(asyncio.run(measure(app, keys))))
