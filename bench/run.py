"""Speed of appraise, as ratios against floors measured in the same run (never absolute targets).

    python bench/run.py [--runs N] [--keys N]

1. CLI: `appraise report` (md, html, json) against `python -c "import yaml, jinja2; from pydantic
   import BaseModel"`. Target: within 1.5x.
2. TUI start: time to the first interactive screen against a bare Textual app with Header, Label,
   Footer and one pydantic model. Target: within 1.3x.
3. Answer and advance: CPU time per digit key on a synthetic 200-question checklist, against a
   trivial key handler in the bare app. process_time() around press + pause, because a headless
   Pilot's wall time is dominated by its own idle wait. Target: median < 16 ms, p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable


def wall(argv: list[str], env: dict[str, str]) -> float:
    """CPU seconds (user + system) the command used: steadier than wall time on a shared machine,
    and the same thing for a start-up that does no waiting."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compare(cases: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, list[float]]:
    """Run every case ``runs`` times, interleaved so that machine noise hits all of them alike."""
    for argv in cases.values():  # warm caches: .pyc files, the checklist cache, compiled templates
        wall(argv, env)
        wall(argv, env)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, argv in cases.items():
            times[name].append(wall(argv, env))
    return times


def report(title: str, times: dict[str, list[float]], floor: str, target: float) -> None:
    base = statistics.median(times[floor])
    print(f"\n{title}")
    print(f"  {'case (CPU time)':<24}{'median':>10}{'min':>10}{'ratio':>9}")
    for name, values in times.items():
        ratio = statistics.median(values) / base
        mark = "" if name == floor else ("  ok" if ratio <= target else f"  over {target}x")
        print(f"  {name:<24}{statistics.median(values) * 1000:>8.0f}ms{min(values) * 1000:>8.0f}ms{ratio:>8.2f}x{mark}")


def cli(runs: int, env: dict[str, str], appraisal: Path) -> None:
    cases = {"floor (imports)": [PY, "-c", "import yaml, jinja2; from pydantic import BaseModel"]}
    for fmt in ("md", "html", "json"):
        cases[f"appraise report -f {fmt}"] = [PY, "-m", "appraise", "report", str(appraisal), "-f", fmt]
    report("CLI: appraise report vs the CLI floor (target <= 1.5x)", compare(cases, runs, env), "floor (imports)", 1.5)


def tui_start(runs: int, env: dict[str, str], appraisal: Path) -> None:
    cases = {
        "floor (bare app)": [PY, str(HERE / "tui_floor.py")],
        "appraise open": [PY, str(HERE / "tui_start.py"), str(appraisal)],
    }
    report(
        "TUI: first interactive screen vs the TUI floor (target <= 1.3x)",
        compare(cases, runs, env),
        "floor (bare app)",
        1.3,
    )


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


async def keypress_costs(appraisal: Path, keys: int) -> tuple[list[float], list[float]]:
    sys.path.insert(0, str(HERE))
    from tui_floor import FloorApp

    from appraise.tui import AppraiseApp

    async def measure(app, key: str) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
        process, thread = [], []
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            for _ in range(keys):
                start, start_thread = time.process_time(), time.thread_time()
                await pilot.press(key)
                await pilot.pause()
                process.append(time.process_time() - start)
                thread.append(time.thread_time() - start_thread)
            await app.workers.wait_for_complete()
        return process, thread

    ours = await measure(AppraiseApp(appraisal, cursor_blink=False), "1")
    floor = await measure(FloorApp(), "1")
    return ours, floor


def keys_report(ours: tuple[list[float], list[float]], floor: tuple[list[float], list[float]]) -> None:
    def p95(values: list[float]) -> float:
        return sorted(values)[int(0.95 * (len(values) - 1))]

    print("\nTUI: answer and advance, CPU per key, 200-question checklist (target median < 16 ms, p95 < 50 ms)")
    print("  process_time counts every thread (the save thread too); thread_time only the app's event loop")
    for name, (process, thread) in (("floor (trivial handler)", floor), ("appraise (digit answers)", ours)):
        ms = {"pm": statistics.median(process), "pp": p95(process), "tm": statistics.median(thread), "tp": p95(thread)}
        print(
            f"  {name:<26} process median {ms['pm'] * 1000:5.1f} ms  p95 {ms['pp'] * 1000:5.1f} ms"
            f"   |  thread median {ms['tm'] * 1000:5.1f} ms  p95 {ms['tp'] * 1000:5.1f} ms"
        )
    print(f"  ratio of process medians: {statistics.median(ours[0]) / statistics.median(floor[0]):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keys", type=int, default=150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # PYTHONDONTWRITEBYTECODE (set on some build machines) would make every run recompile
        # appraise's modules; users get .pyc files, so the benchmark should too.
        env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE"}}
        env["APPRAISE_DATA_DIR"] = str(folder / "data")
        os.environ["APPRAISE_DATA_DIR"] = env["APPRAISE_DATA_DIR"]
        appraisal = folder / "pathways-home.yaml"
        shutil.copy(ROOT / "tests" / "data" / "pathways-home.yaml", appraisal)
        print(f"appraise benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs per case")
        cli(args.runs, env, appraisal)
        tui_start(args.runs, env, appraisal)

        from appraise.core.appraisal import Study
        from appraise.files.checklists import load_checklist
        from appraise.files.store import new_appraisal, write_appraisal

        user_checklists = folder / "data" / "checklists"  # found by id, as a user's own checklist is
        user_checklists.mkdir(parents=True)
        checklist = load_checklist(synthetic_checklist(user_checklists))
        synthetic = folder / "synthetic-appraisal.yaml"
        write_appraisal(synthetic, new_appraisal(checklist, Study(title="Synthetic")))
        keys_report(*asyncio.run(keypress_costs(synthetic, args.keys)))
        from appraise.files.store import load_appraisal

        answered = len(load_appraisal(synthetic).appraisal.answers)
        print(f"  (check: {answered} answers on disk after {args.keys} keys)")
        if answered != min(args.keys, 200):
            raise SystemExit("the key benchmark did not answer what it pressed: numbers above are not valid")


if __name__ == "__main__":
    main()
