"""Speed of `appraise summary` over 10, 100 and 1,000 realistic peer-support appraisals.

    python bench/summary.py [--runs N] [--sizes 10,100,1000]

Builds the appraisals with the store in a temporary folder (varied designs, one to three outcomes,
notes, quotes, overrides and a weight), then times `appraise summary DIR` as a subprocess for
html, csv and robvis. Wall-clock seconds (median and best of the runs), wall time per file (so that
linearity is visible) and CPU seconds (the command and its worker processes; steadier than wall
time on a shared machine) are printed. Target: 1,000 appraisals to HTML in under 1.5 s. The start-up floor
(`python -c "import yaml, jinja2; from pydantic import BaseModel"`) is printed for reference.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable

SURNAMES = [
    "Okafor", "Lindqvist", "Moreau", "Tanaka", "Fenwick-Tarrant", "Brightwater", "Quillby", "Nakamura", "O'Brien",
    "García Márquez", "Van der Berg", "Kowalski", "Haddad", "Singh", "Ferreira", "MacLeod", "Rossi", "Dubois",
]  # fmt: skip
OUTCOMES = [
    ("Readmission within 12 months", "service_use"),
    ("QPR-15 at 4 months", "recovery"),
    ("Hope (HHI) at 6 months", "recovery"),
    ("Symptoms (BPRS) at 12 months", "clinical"),
    ("Quality of life (MANSA)", "functioning"),
    ("Engagement with services", "other"),
    ("Bed days", "service_use"),
    ("Empowerment scale", "recovery"),
]
NOTES = [
    "Independent web-based randomisation service.",
    'Manual in supplement S2; session content listed, "dose" reported.',
    "Usual care varied by site; see Table 1.",
    "Completion 70% vs 79%, multiple imputation.",
]


def build(folder: Path, count: int) -> None:
    """Write ``count`` peer-support appraisals, reproducibly varied, with appraise's own store."""
    from appraise.core.appraisal import Answer, Outcome, Override, Study
    from appraise.files.checklists import load_checklist
    from appraise.files.store import new_appraisal, write_appraisal

    checklist = load_checklist("peer-support")
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        rng = random.Random(i)
        authors = ", ".join(
            f"{rng.choice('ABCDEFGHJKLMNPRS')}. {rng.choice(SURNAMES)}" for _ in range(rng.randint(1, 5))
        )
        study = Study(
            title=f"Peer support trial {i}: a randomised evaluation in {rng.choice(['community', 'inpatient'])} care",
            authors=authors,
            year=str(rng.randint(2003, 2025)),
            doi=f"10.5555/bench.{i}",
        )
        appraisal = new_appraisal(checklist, study, reviewer=rng.choice(["Sam", "Alex", "Priya"]))
        picks = rng.sample(OUTCOMES, rng.randint(1, 3))
        appraisal.outcomes = [
            Outcome(
                id=f"o{k}",
                name=name,
                type=kind,
                primary=k == 0,
                finding=rng.choice(["benefit", "benefit", "no_difference", "unclear", "harm"]),
            )
            for k, (name, kind) in enumerate(picks)
        ]
        design = rng.choices(["rct", "cluster_rct", "non_randomised", "qualitative"], [70, 10, 15, 5])[0]
        for section in checklist.sections:
            for question in section.questions:
                if question.id == "A2":
                    code = design
                elif question.id == "A3":
                    code = rng.choice(["full", "full", "full", "pilot"])
                else:
                    codes = list(question.codes)
                    code = "Y" if "Y" in codes and rng.random() < 0.55 else rng.choice(codes)
                answer = Answer(answer=code)
                if rng.random() < 0.3:
                    answer.note = rng.choice(NOTES)
                    answer.quote = "participants were randomised 1:1 by an independent service"
                    answer.page = str(rng.randint(1, 14))
                if section.per_outcome:
                    for outcome in appraisal.outcomes:
                        appraisal.outcome_answers.setdefault(outcome.id, {})[question.id] = answer.model_copy()
                else:
                    appraisal.answers[question.id] = answer
        appraisal.overrides["G"] = Override(judgement=rng.choice(["high", "moderate", "low"]), reason="our setting")
        if rng.random() < 0.1:
            appraisal.overrides["C"] = Override(judgement="major_concerns", reason="usual care differed by site")
        data = appraisal.to_data()
        appraisal = type(appraisal).model_validate({**data, "weight": round(rng.uniform(5, 200), 1)})
        write_appraisal(folder / f"study-{i:04d}.yaml", appraisal)


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds of the command and its worker processes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="10,100,1000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE"}}
        env["APPRAISE_DATA_DIR"] = os.environ["APPRAISE_DATA_DIR"] = str(root / "data")
        print(f"appraise summary benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.runs} runs")
        floor = [PY, "-c", "import yaml, jinja2; from pydantic import BaseModel"]
        timed(floor, env)
        base = statistics.median(timed(floor, env)[0] for _ in range(args.runs))
        print(f"  start-up floor (imports only): {base:.3f} s wall")
        print(f"  load average now: {os.getloadavg()[0]:.2f} (wall times need an otherwise idle machine)")
        print(f"  {'appraisals':>10}  {'format':<7}{'wall':>8}{'min':>9}{'per file':>10}{'CPU':>9}")
        for size in sizes:
            folder = root / f"n{size}"
            build(folder, size)
            for fmt in ("html", "csv", "robvis"):
                out = root / f"out-{size}.{fmt}"
                argv = [PY, "-m", "appraise", "summary", str(folder), "-f", fmt, "-o", str(out)]
                timed(argv, env)  # warm: .pyc files, the checklist cache, compiled templates
                runs = [timed(argv, env) for _ in range(args.runs)]
                median = statistics.median(wall for wall, _ in runs)
                cpu = statistics.median(used for _, used in runs)
                mark = ""
                if size >= 1000 and fmt == "html":
                    mark = "  ok (< 1.5 s)" if median < 1.5 else "  over the 1.5 s target"
                print(
                    f"  {size:>10}  {fmt:<7}{median:>7.3f}s{min(w for w, _ in runs):>8.3f}s"
                    f"{median / size * 1000:>8.2f}ms{cpu:>8.3f}s{mark}"
                )


if __name__ == "__main__":
    main()
