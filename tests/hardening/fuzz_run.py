"""``make fuzz``: thousands of mutated files through every command, in-process, and a table of what happened.

    python tests/hardening/fuzz_run.py [--files 10000] [--workers 2]

Each file is made from a real seed by :func:`tests.hardening.fuzzing.fuzzed` with a generator seeded
by its number, so a run is the same every time and any file can be made again from its number. The
table counts files, runs, tracebacks, runs over 2 s (CPU time, and wall time, which a loaded machine
inflates), peak RSS and problems that name a fuzzed file without a line. It is written as JSON to
``.fuzz/summary.json``; each file that failed is kept in ``.fuzz/failures/`` with what went wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).parent.parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.hardening.fuzzing import HEAVY, SEEDS, Run, fuzzed, runs_for  # noqa: E402

SHARES = {"appraisal": 0.5, "checklist": 0.15, "review": 0.1, "references": 0.2, "state": 0.05}
"""How the files are shared between kinds (appraisals get most: they meet most commands)."""
SLOW = 2.0
MEMORY_MB = 500
OUT = ROOT / ".fuzz"
FILE_TIMEOUT = 120  # a hang is recorded as one, instead of stopping the run


class Hang(BaseException):
    """Raised by the alarm in a file that ran past FILE_TIMEOUT (BaseException: the CLI runner lets it through)."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang()


_DATA_DIR = Path()


def _start_worker() -> None:
    global _DATA_DIR
    _DATA_DIR = Path(tempfile.mkdtemp(prefix="appraise-fuzz-data-"))
    os.environ["APPRAISE_DATA_DIR"] = str(_DATA_DIR)
    signal.signal(signal.SIGALRM, _alarm)


def plan(files: int) -> list[tuple[str, int]]:
    """(kind, number) for every file: each kind's share of ``files``."""
    jobs: list[tuple[str, int]] = []
    for kind, share in SHARES.items():
        jobs += [(kind, n) for n in range(round(files * share))]
    jobs += [("appraisal", 10**6 + n) for n in range(files - len(jobs))]
    return jobs


def make(kind: str, number: int) -> tuple[str, bytes]:
    """The file name and the content of fuzzed file ``number`` of ``kind`` (the same on every run)."""
    rng = random.Random(f"{kind}-{number}")
    name, seed = SEEDS[kind][number % len(SEEDS[kind])]
    return name, fuzzed(kind, seed, rng)


def fuzz_one(job: tuple[str, int]) -> dict[str, Any]:
    """Run one fuzzed file through its commands; what it found, compactly."""
    kind, number = job
    name, raw = make(kind, number)
    heavy = HEAVY[number % len(HEAVY)]
    found: dict[str, Any] = {"kind": kind, "number": number, "runs": 0, "cpu": 0.0, "wall": 0.0, "problems": []}
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="appraise-fuzz-") as tmp:
        signal.alarm(FILE_TIMEOUT)
        try:
            for run in runs_for(kind, name, raw, Path(tmp), _DATA_DIR, heavy):
                runs.append(run)
        except Hang:
            found["problems"].append({"what": "hang", "command": f"after {len(runs)} runs", "detail": ""})
        finally:
            signal.alarm(0)
    for run in runs:
        found["runs"] += 1
        found["cpu"] = max(found["cpu"], run.cpu)
        found["wall"] = max(found["wall"], run.wall)
        found["rss"] = max(found.get("rss", 0.0), run.rss_mb)
        if run.traceback:
            found["problems"].append({"what": "traceback", "command": run.command, "detail": run.traceback[-3000:]})
        if run.exit_code not in (0, 1, 2):
            found["problems"].append({"what": "exit", "command": run.command, "detail": run.output[-500:]})
        if run.cpu > SLOW:
            found["problems"].append({"what": "slow-cpu", "command": run.command, "detail": f"{run.cpu:.2f} s"})
        if run.wall > SLOW:
            found.setdefault("slow_wall", []).append([run.command, round(run.wall, 2)])
        for line in run.unlocated:
            found["problems"].append({"what": "no-line", "command": run.command, "detail": line[:300]})
    if found["problems"]:
        failures = OUT / "failures"
        failures.mkdir(parents=True, exist_ok=True)
        stem = f"{kind}-{number}-{name}"
        (failures / stem).write_bytes(raw)
        (failures / f"{stem}.json").write_text(json.dumps(found["problems"], indent=1), encoding="utf-8")
    return found


def main() -> int:
    """Fuzz, print the table, write ``.fuzz/summary.json``; exit 1 when any target was missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=int(os.environ.get("APPRAISE_FUZZ_FILES", "10000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("APPRAISE_FUZZ_WORKERS", "2")))
    parser.add_argument("--summary-only", action="store_true", help="table what .fuzz/files.jsonl holds so far")
    args = parser.parse_args()
    jobs = plan(args.files)
    OUT.mkdir(exist_ok=True)
    log = OUT / "files.jsonl"  # one line per file as it is done: a stopped run can still be tabled
    if args.summary_only:
        results = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]
        meta = results.pop(0)
        summary = _summary(results, meta.get("seconds", 0), meta["workers"], meta["commit"])
        summary["planned"] = meta["files"]
        (OUT / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
        _print(summary)
        return 0
    started = time.perf_counter()
    results = []
    commit = _commit()
    with log.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"files": len(jobs), "workers": args.workers, "commit": commit}) + "\n")
        with ProcessPoolExecutor(max_workers=args.workers, initializer=_start_worker) as pool:
            for n, found in enumerate(pool.map(fuzz_one, jobs, chunksize=8), 1):
                results.append(found)
                out.write(json.dumps(found) + "\n")
                out.flush()
                if n % 500 == 0:
                    print(f"  {n}/{len(jobs)} files, {time.perf_counter() - started:.0f} s", flush=True)
    summary = _summary(results, time.perf_counter() - started, args.workers, commit)
    (OUT / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    _print(summary)
    missed = summary["tracebacks"] or summary["hangs"] or summary["runs_over_2s_cpu"] or summary["errors_without_line"]
    return 1 if missed or summary["peak_rss_mb"] >= MEMORY_MB else 0


def _commit() -> str:
    """The commit the run is made on (the working tree may hold more)."""
    import subprocess

    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip()


def _summary(results: list[dict[str, Any]], seconds: float, workers: int, commit: str) -> dict[str, Any]:
    problems = [dict(p, kind=r["kind"], number=r["number"]) for r in results for p in r["problems"]]

    def count(what: str) -> int:
        return sum(1 for p in problems if p["what"] == what)

    by_kind = {
        kind: {
            "files": sum(1 for r in results if r["kind"] == kind),
            "runs": sum(r["runs"] for r in results if r["kind"] == kind),
        }
        for kind in SHARES
    }
    return {
        "commit": commit,
        "files": len(results),
        "runs": sum(r["runs"] for r in results),
        "by_kind": by_kind,
        "tracebacks": count("traceback"),
        "hangs": count("hang"),
        "bad_exit_status": count("exit"),
        "runs_over_2s_cpu": count("slow-cpu"),
        "runs_over_2s_wall": sum(len(r.get("slow_wall", [])) for r in results),
        "slowest_cpu_s": round(max((r["cpu"] for r in results), default=0.0), 2),
        "slowest_wall_s": round(max((r["wall"] for r in results), default=0.0), 2),
        "peak_rss_mb": round(max((r.get("rss", 0.0) for r in results), default=0.0), 1),
        "errors_without_line": count("no-line"),
        "seconds": round(seconds),
        "workers": workers,
        "problems": problems[:200],
    }


def _print(summary: dict[str, Any]) -> None:
    rows = [
        ("files", summary["files"], "≥ 10,000"),
        ("runs", summary["runs"], ""),
        ("tracebacks", summary["tracebacks"], "0"),
        ("hangs (a file past 120 s)", summary["hangs"], "0"),
        ("exit status not 0/1/2", summary["bad_exit_status"], "0"),
        ("runs over 2 s (CPU)", summary["runs_over_2s_cpu"], "0"),
        ("runs over 2 s (wall, loaded machine)", summary["runs_over_2s_wall"], ""),
        ("slowest run, CPU / wall (s)", f"{summary['slowest_cpu_s']} / {summary['slowest_wall_s']}", "< 2"),
        ("peak RSS of a worker (MB)", summary["peak_rss_mb"], "< 500"),
        ("errors naming the file without a line", summary["errors_without_line"], "0"),
        ("time (s), workers, commit", f"{summary['seconds']}, {summary['workers']}, {summary['commit']}", ""),
    ]
    print("\nappraise fuzz run")
    for kind, counts in summary["by_kind"].items():
        print(f"  {kind:<12} {counts['files']:>6} files {counts['runs']:>8} runs")
    width = max(len(r[0]) for r in rows)
    for label, value, target in rows:
        print(f"  {label:<{width}}  {value!s:>12}  {target}")
    print(f"written to {OUT / 'summary.json'}; failing files in {OUT / 'failures'}")


if __name__ == "__main__":
    sys.exit(main())
