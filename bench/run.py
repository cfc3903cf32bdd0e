"""Speed of appraise: every figure of issue 17 as a ratio against a floor measured in the same run.

    python bench/run.py [--runs 7] [--large-runs 3] [--keys 100] [--sizes 10,100,1000,10000] [--only ROWS]
    python bench/run.py --sizes 10,100,1000      (`make bench-quick`: every row but those of 10,000, ~3 min)

Every figure is CPU time (user + system of the process and all its children, worker processes and
the save thread included), as median and min of the runs, and peak RSS of the biggest process.
Cases are interleaved run by run, so that machine noise hits the floor and the case alike; "paired" is
the median of each run's ratio to the floor's run beside it, the figure that holds while the machine's
speed drifts (verdicts stay on the ratio of medians). Rows:

  cli       `appraise report` vs `python -c "import yaml, jinja2; from pydantic import BaseModel"`  <= 1.3x
  start     TUI first interactive screen vs a bare Textual app, whole process                      <= 1.3x
  mount     the same, imports done before timing                                                    <= 1.5x
  keys      answer and advance on a 200-question checklist, CPU per key: median <= 2x the bare app, p95 < 25 ms
  preview   report preview in the TUI on a full appraisal, to first paint                           < 300 ms
  summary   1,000 appraisals (html, csv): cold (no read cache) < 4x the CLI floor, unchanged < 2x;
            10,000: cold < 10 s, unchanged < 2 s, peak < 300 MB in every format; workers vs one process
  scaling   10 -> 100 -> 1,000 -> 10,000 appraisals, cold and unchanged, per file

The results are written to bench/results/last.json (the previous one is kept as previous.json) and
compared with the previous run. The appraisal folders are built once into bench/.corpus (their
files dated an hour back, as files saved earlier are: files saved in the last seconds are never cached).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
FLOOR = [PY, "-c", "import yaml, jinja2; from pydantic import BaseModel"]
RESULTS: dict[str, Any] = {}
SAMPLES: dict[tuple[int, str], list[Sample]] = {}
"""Summary runs by (size, "cold"/"unchanged") of ``-f html`` as the command runs them (workers from 150
files to read): the scaling curve and the workers' side of the worker comparison reuse them."""


@dataclass
class Sample:
    cpu: float
    """Seconds of user + system time of the process and its children."""
    wall: float
    rss: float
    """Peak resident memory in MB (the largest of the process and its children)."""
    out: str


def run_child(argv: list[str], env: dict[str, str], before: Any = None) -> Sample:
    """Like :func:`child`, reaping the process ourselves so that its rusage (CPU, peak RSS) is its own."""
    if before is not None:
        before()
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        pid = os.posix_spawn(argv[0], argv, env, file_actions=[(os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                                                               (os.POSIX_SPAWN_DUP2, err.fileno(), 2)])  # fmt: skip
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status):
            raise SystemExit(f"{' '.join(argv)} failed ({os.waitstatus_to_exitcode(status)}):\n{err.read()}")
        return Sample(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, out.read())


def series(
    cases: dict[str, list[str]], runs: int, env: dict[str, str], before: Any = None, warm: int = 1
) -> dict[str, list[Sample]]:
    """Every case ``runs`` times, interleaved; ``warm`` untimed runs first (.pyc files, checklist cache)."""
    for argv in cases.values():
        for _ in range(warm):
            run_child(argv, env, before)
    samples: dict[str, list[Sample]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, argv in cases.items():
            samples[name].append(run_child(argv, env, before))
    return samples


def stats(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def verdict(ok: bool) -> str:
    return "  ok" if ok else "  MISSED"


def table(title: str, samples: dict[str, list[Sample]], floor: str | None, target: float | None, key: str) -> None:
    """Print median and min CPU, the ratio to the floor, peak RSS; record them under ``key``."""
    print(f"\n{title}")
    print(f"  {'case':<34}{'CPU median':>11}{'min':>9}{'ratio':>8}{'min ratio':>10}{'paired':>8}{'peak RSS':>10}")
    floor_cpu = [s.cpu for s in samples[floor]] if floor else []
    base = statistics.median(floor_cpu) if floor_cpu else None
    base_min = min(floor_cpu) if floor_cpu else None
    rows = {}
    for name, values in samples.items():
        cpu = [s.cpu for s in values]
        row: dict[str, Any] = {
            "cpu": stats(cpu),
            "wall": stats([s.wall for s in values]),
            "rss_mb": max(s.rss for s in values),
        }
        ratio = ""
        mark = ""
        if base and base_min and name != floor:
            row["ratio"] = statistics.median(cpu) / base
            row["min_ratio"] = min(cpu) / base_min
            # Runs are interleaved, so run i of the case and of the floor ran side by side: the median of
            # their ratios holds while the machine's speed drifts (the verdict stays on the medians).
            pairs = [c / f for c, f in zip(cpu, floor_cpu, strict=True) if f > 0]
            row["paired_ratio"] = stats(pairs) if pairs else None
            paired = f"{statistics.median(pairs):7.2f}x" if pairs else " " * 8
            ratio = f"{row['ratio']:7.2f}x{row['min_ratio']:9.2f}x{paired}"
            if target is not None:
                row["target"] = target
                row["ok"] = row["ratio"] <= target
                mark = verdict(row["ok"])
        rows[name] = row
        print(
            f"  {name:<34}{statistics.median(cpu) * 1000:>9.0f}ms{min(cpu) * 1000:>7.0f}ms"
            f"{ratio or ' ' * 26:>26}{row['rss_mb']:>8.0f}MB{mark}"
        )
    RESULTS[key] = rows


# --- rows ---------------------------------------------------------------------------------------


def cli_row(runs: int, env: dict[str, str], appraisal: Path) -> None:
    cases = {"floor (imports)": FLOOR}
    for fmt in ("md", "html", "json"):
        cases[f"appraise report -f {fmt}"] = [PY, "-m", "appraise", "report", str(appraisal), "-f", fmt]
    table(
        "CLI: appraise report vs the CLI floor (target <= 1.3x)",
        series(cases, runs, env),
        "floor (imports)",
        1.3,
        "cli",
    )


def start_row(runs: int, env: dict[str, str], appraisal: Path) -> None:
    cases = {
        "floor (bare Textual app)": [PY, str(HERE / "tui_floor.py")],
        "appraise FILE, first screen": [PY, str(HERE / "tui_start.py"), str(appraisal)],
    }
    table(
        "TUI start, whole process, to the first interactive screen (target <= 1.3x)",
        series(cases, runs, env),
        "floor (bare Textual app)",
        1.3,
        "start",
    )


def printed(samples: dict[str, list[Sample]], column: int = 0) -> dict[str, list[Sample]]:
    """Samples whose CPU is what the script printed (ms), for figures measured inside the process."""
    return {
        name: [Sample(float(s.out.split()[column]) / 1000, s.wall, s.rss, s.out) for s in values]
        for name, values in samples.items()
    }


def mount_row(runs: int, env: dict[str, str], appraisal: Path) -> None:
    script = str(HERE / "tui_mount.py")
    cases = {
        "floor (bare Textual app)": [PY, script, "floor"],
        "appraise FILE": [PY, script, "appraise", str(appraisal)],
    }
    table(
        "TUI mount only (imports done before timing), CPU in the process (target <= 1.5x)",
        printed(series(cases, runs, env)),
        "floor (bare Textual app)",
        1.5,
        "mount",
    )


def keys_row(keys: int, env: dict[str, str], appraisal: Path) -> None:
    script = str(HERE / "tui_keys.py")
    floor = json.loads(run_child([PY, script, "floor", str(keys)], env).out)
    ours = json.loads(run_child([PY, script, "appraise", str(keys), str(appraisal)], env).out)

    def p95(values: list[float]) -> float:
        return sorted(values)[int(0.95 * (len(values) - 1))]

    print(f"\nTUI: answer and advance, CPU per key (all threads), {keys} keys (target median <= 2x floor, p95 < 25 ms)")
    rows = {}
    for name, values in (("floor (trivial handler)", floor), ("appraise (digit answers)", ours)):
        rows[name] = {"median_ms": statistics.median(values), "min_ms": min(values), "p95_ms": p95(values)}
        print(
            f"  {name:<28} median {statistics.median(values):5.1f} ms  min {min(values):5.1f} ms"
            f"  p95 {p95(values):5.1f} ms"
        )
    ratio = statistics.median(ours) / statistics.median(floor)
    ok = ratio <= 2 and p95(ours) < 25
    rows["appraise (digit answers)"].update({"ratio": ratio, "ok": ok})
    print(f"  ratio of medians {ratio:.2f}x{verdict(ok)}")
    RESULTS["keys"] = rows
    answered = int(run_child([PY, script, "count", "0", str(appraisal)], env).out)
    if answered != min(keys, 200):
        raise SystemExit(f"the key benchmark answered {answered}, not {min(keys, 200)}: the numbers are not valid")
    terminal_keys_row(keys, env, appraisal)


def terminal_keys_row(keys: int, env: dict[str, str], appraisal: Path) -> None:
    """The same keys typed into a real terminal (tmux), one at a time: the whole process's CPU per key."""
    if shutil.which("tmux") is None:
        print("\nTUI in a real terminal: skipped (tmux is not installed)")
        return
    script = str(HERE / "tui_terminal.py")
    run_child([PY, str(HERE / "tui_keys.py"), "setup", "0", str(appraisal)], env)  # a new appraisal again
    floor = json.loads(run_child([PY, script, "floor", str(keys)], env).out)
    ours = json.loads(run_child([PY, script, "appraise", str(keys), str(appraisal)], env).out)
    print(f"\nTUI in a real terminal (tmux, 120x40): CPU per key, whole process, {keys} keys typed one at a time")
    rows = {}
    for name, values in (("floor (trivial handler)", floor), ("appraise (digit answers)", ours)):
        ordered = sorted(values)
        p95 = ordered[int(0.95 * (len(values) - 1))]
        rows[name] = {"median_ms": statistics.median(values), "min_ms": ordered[0], "p95_ms": p95}
        print(
            f"  {name:<28} median {rows[name]['median_ms']:5.1f} ms  min {ordered[0]:5.1f} ms"
            f"  p95 {rows[name]['p95_ms']:5.1f} ms"
        )
    ratio = statistics.median(ours) / statistics.median(floor)
    ok = ratio <= 2 and rows["appraise (digit answers)"]["p95_ms"] < 25
    rows["appraise (digit answers)"].update({"ratio": ratio, "ok": ok})
    print(f"  ratio of medians {ratio:.2f}x{verdict(ok)}")
    RESULTS["keys_terminal"] = rows


def preview_row(runs: int, env: dict[str, str], appraisal: Path) -> None:
    cases = {"report preview, key to first paint": [PY, str(HERE / "tui_report.py"), str(appraisal)]}
    samples = series(cases, runs, env)
    paint = printed(samples, 0)
    walls = [float(s.out.split()[1]) / 1000 for s in samples[next(iter(cases))]]
    whole = [float(s.out.split()[2]) / 1000 for s in samples[next(iter(cases))]]
    cpu = [s.cpu for s in paint[next(iter(cases))]]
    ok = statistics.median(cpu) < 0.3
    print("\nTUI: report preview of a full appraisal (target < 300 ms to first paint)")
    print(
        f"  first paint: CPU median {statistics.median(cpu) * 1000:.0f} ms, min {min(cpu) * 1000:.0f} ms;"
        f" wall median {statistics.median(walls) * 1000:.0f} ms{verdict(ok)}"
    )
    print(
        "  whole report mounted (after first paint, in the background):"
        f" CPU median {statistics.median(whole) * 1000:.0f} ms"
    )
    RESULTS["preview"] = {
        "first_paint_cpu": stats(cpu),
        "first_paint_wall": stats(walls),
        "whole_cpu": stats(whole),
        "ok": ok,
    }


# --- summary ------------------------------------------------------------------------------------


def corpus(size: int) -> Path:
    """A folder of ``size`` realistic appraisals, built once (reused while the builder is unchanged)."""
    builder = HERE / "summary.py"
    stamp = f"{builder.stat().st_mtime_ns}-{size}"
    folder = HERE / ".corpus" / f"n{size}"
    if (folder / ".stamp").is_file() and (folder / ".stamp").read_text() == stamp:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    print(f"  (building {size} appraisals in {folder} once ...)", flush=True)
    # Built in a child: appraise is never imported here, so this process stays small and the
    # children's peak RSS is their own (Linux reports at least the parent's peak for a spawned child).
    subprocess.run([PY, str(builder), str(folder), str(size)], check=True, env=os.environ.copy())
    hour_ago = time.time() - 3600
    for path in folder.glob("*.yaml"):
        os.utime(path, (hour_ago, hour_ago))
    (folder / ".stamp").write_text(stamp)
    return folder


def summary_cmd(folder: Path, fmt: str, out: Path) -> list[str]:
    # robvis refuses a table with a missing judgement; a corpus older than a checklist change has some.
    extra = ["--allow-incomplete"] if fmt == "robvis" else []
    return [PY, "-m", "appraise", "summary", str(folder), "-f", fmt, "-o", str(out / f"summary.{fmt}"), *extra]


def clear_cache(env: dict[str, str]) -> Any:
    cache = Path(env["APPRAISE_DATA_DIR"]) / "cache" / "appraisals.sqlite"

    def clear() -> None:
        for path in cache.parent.glob(cache.name + "*"):
            path.unlink()

    return clear


def summary_rows(runs: int, large_runs: int, env: dict[str, str], out: Path, sizes: list[int]) -> None:
    cold = clear_cache(env)
    if 1000 in sizes:
        folder = corpus(1000)
        cases = {"floor (imports)": FLOOR}
        for fmt in ("html", "csv"):
            cases[f"1,000 -f {fmt}, unchanged"] = summary_cmd(folder, fmt, out)
        samples = series(cases, runs, env)
        SAMPLES[(1000, "unchanged")] = samples["1,000 -f html, unchanged"]
        table(
            "summary of 1,000 appraisals, nothing changed (read cache warm) vs the CLI floor (target < 2x)",
            samples,
            "floor (imports)",
            2.0,
            "summary_1000_unchanged",
        )
        # Cold: the read cache is deleted before every run (the floor is unaffected by that).
        cases = {"floor (imports)": FLOOR}
        for fmt in ("html", "csv"):
            cases[f"1,000 -f {fmt}, cold"] = summary_cmd(folder, fmt, out)
        samples = series(cases, runs, env, before=cold)
        SAMPLES[(1000, "cold")] = samples["1,000 -f html, cold"]
        table(
            "summary of 1,000 appraisals, cold (no read cache) vs the CLI floor (target < 4x)",
            samples,
            "floor (imports)",
            4.0,
            "summary_1000_cold",
        )
        parallel(1000, summary_cmd(folder, "html", out), runs, env, cold)
    if 10000 in sizes:
        folder = corpus(10000)
        print(f"\n(10,000 rows: {large_runs} runs each, to keep the benchmark to a few minutes)")
        cases = {
            f"10,000 -f {fmt}, unchanged": summary_cmd(folder, fmt, out)
            for fmt in ("html", "md", "csv", "json", "robvis")
        }
        samples = series(cases, large_runs, env)
        SAMPLES[(10000, "unchanged")] = samples["10,000 -f html, unchanged"]
        absolute(
            "summary of 10,000 appraisals, nothing changed (target < 2 s CPU, < 300 MB)",
            samples,
            2.0,
            "summary_10000_unchanged",
        )
        cases = {f"10,000 -f {fmt}, cold": summary_cmd(folder, fmt, out) for fmt in ("html", "csv", "json")}
        samples = series(cases, large_runs, env, before=cold, warm=0)
        SAMPLES[(10000, "cold")] = samples["10,000 -f html, cold"]
        absolute(
            "summary of 10,000 appraisals, cold (target < 10 s CPU, < 300 MB)",
            samples,
            10.0,
            "summary_10000_cold",
        )
        parallel(10000, summary_cmd(folder, "html", out), large_runs, env, cold)


def absolute(title: str, samples: dict[str, list[Sample]], seconds: float, key: str) -> None:
    print(f"\n{title}")
    print(f"  {'case':<34}{'CPU median':>11}{'min':>9}{'wall med':>10}{'peak RSS':>10}")
    rows = {}
    for name, values in samples.items():
        cpu = [s.cpu for s in values]
        rss = max(s.rss for s in values)
        ok = statistics.median(cpu) < seconds and rss < 300
        rows[name] = {"cpu": stats(cpu), "wall": stats([s.wall for s in values]), "rss_mb": rss, "ok": ok}
        print(
            f"  {name:<34}{statistics.median(cpu):>10.2f}s{min(cpu):>8.2f}s"
            f"{statistics.median(s.wall for s in values):>9.2f}s{rss:>8.0f}MB{verdict(ok)}"
        )
    RESULTS[key] = rows


def parallel(size: int, argv: list[str], runs: int, env: dict[str, str], cold: Any) -> None:
    """One process against the default (the cold html runs above: a worker per CPU): CPU the cost, wall the gain."""
    one = [run_child(argv, dict(env, APPRAISE_SUMMARY_JOBS="1"), cold) for _ in range(runs)]
    two = SAMPLES[(size, "cold")]
    label = f"{size:,}"
    workers = f"{label} cold html, {len(os.sched_getaffinity(0))} workers (default)"
    samples = {f"{label} cold html, one process": one, workers: two}
    print(f"\nsummary of {label} appraisals, cold: worker processes vs one (CPU is the cost, wall the gain)")
    rows = {}
    for name, values in samples.items():
        cpu, wall = [s.cpu for s in values], [s.wall for s in values]
        rows[name] = {"cpu": stats(cpu), "wall": stats(wall)}
        print(
            f"  {name:<38} CPU median {statistics.median(cpu):6.2f} s"
            f"  wall median {statistics.median(wall):6.2f} s  min {min(wall):6.2f} s"
        )
    RESULTS[f"parallel_{size}"] = rows


def scaling_rows(sizes: list[int], runs: int, large_runs: int, env: dict[str, str], out: Path) -> None:
    cold = clear_cache(env)
    print("\nscaling: appraise summary -f html, CPU per appraisal (linear or better from 1,000 to 10,000)")
    print(f"  {'appraisals':>10}{'cold CPU':>11}{'per file':>10}{'unchanged':>11}{'per file':>10}{'peak RSS':>10}")
    rows = {}
    for size in sizes:
        if (size, "cold") in SAMPLES and (size, "unchanged") in SAMPLES:  # measured by the summary rows
            cold_cpu = [s.cpu for s in SAMPLES[(size, "cold")]]
            warm = SAMPLES[(size, "unchanged")]
        else:
            folder = corpus(size)
            n = runs if size < 10000 else large_runs
            argv = summary_cmd(folder, "html", out)
            cold_cpu = [run_child(argv, env, cold).cpu for _ in range(n)]
            run_child(argv, env)
            warm = [run_child(argv, env) for _ in range(n)]
        warm_cpu = [s.cpu for s in warm]
        c, w = statistics.median(cold_cpu), statistics.median(warm_cpu)
        rows[str(size)] = {"cold": stats(cold_cpu), "unchanged": stats(warm_cpu), "rss_mb": max(s.rss for s in warm)}
        print(
            f"  {size:>10}{c:>10.2f}s{c / size * 1000:>8.2f}ms{w:>10.2f}s{w / size * 1000:>8.2f}ms"
            f"{rows[str(size)]['rss_mb']:>8.0f}MB"
        )
    if "1000" in rows and "10000" in rows:
        growth = rows["10000"]["cold"]["median"] / rows["1000"]["cold"]["median"]
        print(f"  1,000 -> 10,000 cold: {growth:.1f}x the CPU for 10x the appraisals{verdict(growth <= 10.5)}")
        rows["growth_1000_10000"] = growth
    RESULTS["scaling"] = rows


# --- comparison with the last run -----------------------------------------------------------------


def medians(results: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """Flatten every median CPU (or ms) figure, for comparing two runs."""
    found: dict[str, float] = {}
    for key, value in results.items():
        if isinstance(value, dict):
            if "median" in value and isinstance(value["median"], int | float):
                found[prefix + key] = value["median"]
            else:
                found.update(medians(value, f"{prefix}{key} / "))
        elif key in {"median_ms", "p95_ms", "ratio"} and isinstance(value, int | float):
            found[prefix + key] = value
    return found


def compare(previous: Path) -> None:
    if not previous.is_file():
        return
    try:
        before = medians(json.loads(previous.read_text(encoding="utf-8"))["results"])
    except (ValueError, KeyError):
        return
    now = medians(RESULTS)
    print("\nchanges against the previous run (medians; + is slower):")
    for key, value in now.items():
        if before.get(key):
            change = value / before[key] - 1
            if abs(change) >= 0.1:
                print(f"  {key}: {before[key]:.3g} -> {value:.3g} ({change:+.0%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--large-runs", type=int, default=3, help="runs for 10,000-appraisal figures")
    parser.add_argument("--keys", type=int, default=100)
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--only", default="cli,start,mount,keys,preview,summary,scaling")
    args = parser.parse_args()
    only = set(args.only.split(","))
    sizes = [int(s) for s in args.sizes.split(",")]
    sys.path.insert(0, str(HERE))
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # PYTHONDONTWRITEBYTECODE (set on some build machines) would make every run recompile
        # appraise's modules; users get .pyc files, so the benchmark should too.
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE", "APPRAISE_SUMMARY_JOBS"}
        }
        env["APPRAISE_DATA_DIR"] = os.environ["APPRAISE_DATA_DIR"] = str(folder / "data")
        appraisal = folder / "pathways-home.yaml"
        shutil.copy(ROOT / "tests" / "data" / "pathways-home.yaml", appraisal)
        print(
            f"appraise benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs per case, "
            f"load average {os.getloadavg()[0]:.1f} at the start"
        )
        if "cli" in only:
            cli_row(args.runs, env, appraisal)
        if "start" in only:
            start_row(args.runs, env, appraisal)
        if "mount" in only:
            mount_row(args.runs, env, appraisal)
        if "preview" in only:
            preview_row(args.runs, env, appraisal)
        if "keys" in only:
            synthetic = folder / "synthetic-appraisal.yaml"
            run_child([PY, str(HERE / "tui_keys.py"), "setup", "0", str(synthetic)], env)
            keys_row(args.keys, env, synthetic)
        out = folder / "out"
        out.mkdir()
        if "summary" in only:
            summary_rows(args.runs, args.large_runs, env, out, sizes)
        if "scaling" in only:
            scaling_rows(sizes, args.runs, args.large_runs, env, out)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    last, previous = results / "last.json", results / "previous.json"
    compare(last)
    if last.exists():
        last.replace(previous)
    record = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "load_average_end": os.getloadavg()[0],
        "seconds": round(time.time() - started),
        "results": RESULTS,
    }
    last.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {last} ({record['seconds']} s; load average now {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
