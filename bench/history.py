"""Cost of one save as an appraisal's history grows, as CPU-time ratios against a floor in the same run.

    python bench/history.py [--runs N] [--sizes 50,1000,10000]

For each size, writes a copy of a real appraisal whose ``history:`` already holds that many
entries, opens it with the app's store, and measures with time.process_time():

1. snapshot: what the app does on its own thread when a note changes (``snapshot_data``).
2. write: what the writer thread does with it (``write_data``: the round-trip edit, checked, atomic).
3. save: both (``AppraisalStore.save``).

The floor is the same save of the same file with no history. Target: the per-save cost does not
grow with the history (the ratio at 10,000 entries stays close to the ratio at 50).

Measured on the shared 2-core machine (median CPU ms; issue 13, session 2):

    entries   snapshot before → after     write before → after
         50      0.36 → 0.31                 72 → 13
      1,000      2.5  → 0.34              1,273 → 14
     10,000     33    → 0.33             18,522 → 15

Before, each save dumped and compared the whole history and sent the whole file (history
included) through the round-trip editor; now the history is kept apart and only new entries are
appended as text (appraise.files.history_text). What is left at 10,000 (about 1.1x) is writing and
hashing the bytes of a 1.7 MB file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

SOURCE = ROOT / "tests" / "data" / "pathways-home-reviewer-a.yaml"


def history_text(count: int) -> str:
    """``count`` history entries as the app writes them (two changes each, typed text among them)."""
    lines = ["history:\n"]
    for i in range(count):
        lines.append(
            f"  - at: '2026-11-{1 + i % 28:02d}T10:{i % 60:02d}:00Z'\n"
            "    by: Alex Morgan\n"
            "    changes:\n"
            f"      - {{field: B4.note, old: 'draft {i}', new: 'draft {i + 1}'}}\n"
            f"      - {{field: C5.answer, old: 'U', new: 'N'}}\n"
        )
    return "".join(lines)


def make_file(folder: Path, count: int) -> Path:
    path = folder / f"history-{count}.yaml"
    shutil.copy(SOURCE, path)
    if count:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(history_text(count))
    return path


def measure(path: Path, runs: int) -> dict[str, list[float]]:
    """CPU seconds of ``runs`` snapshots, writes and whole saves, each after a change to a note."""
    from appraise.core.appraisal import Answer
    from appraise.files.store import AppraisalStore

    store = AppraisalStore(path)
    appraisal = store.load().appraisal
    times: dict[str, list[float]] = {"snapshot": [], "write": [], "save": []}
    for i in range(runs):
        appraisal.answers["C5"] = Answer(answer="N", note=f"Shared wards; take {i}.")
        start = time.process_time()
        revision, data = store.snapshot_data(appraisal)
        middle = time.process_time()
        store.write_data(revision, data)
        end = time.process_time()
        times["snapshot"].append(middle - start)
        times["write"].append(end - middle)
        times["save"].append(end - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sizes", default="50,1000,10000")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="appraise-bench-history-"))
    os.environ["APPRAISE_DATA_DIR"] = str(folder / "data")
    try:
        sizes = [int(s) for s in args.sizes.split(",")]
        floor = measure(make_file(folder, 0), args.runs)
        print(f"history: one save after a note changes (median CPU ms over {args.runs}; ratio to no history)")
        print(f"  {'entries':>8} {'snapshot':>10} {'write':>10} {'save':>10} {'ratio':>8}")
        floor_save = statistics.median(floor["save"])
        print(
            f"  {0:>8} {statistics.median(floor['snapshot']) * 1000:>9.2f}ms "
            f"{statistics.median(floor['write']) * 1000:>9.2f}ms {floor_save * 1000:>9.2f}ms {1:>7.2f}x"
        )
        for size in sizes:
            t = measure(make_file(folder, size), args.runs)
            save = statistics.median(t["save"])
            print(
                f"  {size:>8} {statistics.median(t['snapshot']) * 1000:>9.2f}ms "
                f"{statistics.median(t['write']) * 1000:>9.2f}ms {save * 1000:>9.2f}ms {save / floor_save:>7.2f}x"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
