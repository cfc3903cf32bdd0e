"""Realistic peer-support appraisals for the summary benchmark (bench/run.py times them).

Built with appraise's own store: varied designs, one to three outcomes, notes, quotes, overrides
and a weight; reproducible (each file's choices come from its own seeded generator).

    python bench/summary.py FOLDER COUNT
"""

from __future__ import annotations

import random
import sys
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


if __name__ == "__main__":
    build(Path(sys.argv[1]), int(sys.argv[2]))
