"""The summary's per-file cache: an unchanged file is not read again, and nothing it returns is ever stale."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from appraise.core.appraisal import Answer, Study
from appraise.files import paths
from appraise.files.checklists import load_checklist
from appraise.files.store import new_appraisal, write_appraisal
from appraise.reports.collect import collect
from appraise.reports.readcache import cache_file
from appraise.reports.summary import build_summary, long_csv

AN_HOUR_AGO = 3600


def one_question_checklist(judgement_for_yes: str = "low", version: str = "1") -> Path:
    """A user checklist 'tiny' (found by id, as a user's own is): a Yes is judged ``judgement_for_yes``."""
    folder = paths.user_checklists()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "tiny.yaml"
    path.write_text(
        f"""id: tiny
version: "{version}"
title: Tiny
sections:
  - id: S
    title: The only section
    judgements:
      - {{code: low, label: Low, concern: low}}
      - {{code: high, label: High, concern: high}}
    questions:
      - id: Q1
        text: Was it done?
        options:
          - {{code: "Y", label: "Yes"}}
          - {{code: "N", label: "No"}}
    rules:
      - when: {{answer: Q1, in: ["Y"]}}
        then: {judgement_for_yes}
    default: {"high" if judgement_for_yes == "low" else "low"}
""",
        encoding="utf-8",
    )
    age(path, AN_HOUR_AGO)
    return path


def age(path: Path, seconds: int) -> None:
    """Date the file back, as a file saved earlier is (files changed within the last seconds are never cached)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 1_000_000_000))


def tiny_appraisal(folder: Path, name: str, answer: str, note: str = "") -> Path:
    checklist = load_checklist("tiny")
    appraisal = new_appraisal(checklist, Study(title=f"Study {name}", authors="Okafor C", year="2020"))
    appraisal.answers["Q1"] = Answer(answer=answer, note=note)
    path = folder / f"{name}.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    write_appraisal(path, appraisal)
    age(path, AN_HOUR_AGO)
    return path


def judgement(folder: Path) -> str | None:
    rows = build_summary(collect([folder]))["groups"][0]["rows"]
    return rows[0]["judgements"]["S"]["judgement"]  # type: ignore[no-any-return]


def rewrite_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """Change the file's text without changing its size or mtime: only a cache would still see the old text."""
    assert len(old) == len(new)
    stat, text = path.stat(), path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_an_unchanged_file_is_summarised_from_the_cache(tmp_path: Path) -> None:
    one_question_checklist()
    path = tiny_appraisal(tmp_path / "review", "a", "Y")
    assert judgement(tmp_path / "review") == "low"
    # Same size, same mtime: the cache's key is unchanged, so the first reading is what the summary shows.
    rewrite_keeping_size_and_mtime(path, "answer: 'Y'", "answer: 'N'")
    assert judgement(tmp_path / "review") == "low"


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    one_question_checklist()
    path = tiny_appraisal(tmp_path / "review", "a", "Y")
    assert judgement(tmp_path / "review") == "low"
    tiny_appraisal(tmp_path / "review", "a", "N")
    age(path, 60)  # an older mtime than the first version's: only the change of mtime tells them apart
    assert judgement(tmp_path / "review") == "high"


def test_a_changed_checklist_is_judged_again(tmp_path: Path) -> None:
    one_question_checklist("low")
    tiny_appraisal(tmp_path / "review", "a", "Y")
    assert judgement(tmp_path / "review") == "low"
    checklist = one_question_checklist("high", version="2")
    age(checklist, 60)
    assert judgement(tmp_path / "review") == "high"


def test_a_corrupt_cache_is_ignored_and_replaced(tmp_path: Path) -> None:
    one_question_checklist()
    tiny_appraisal(tmp_path / "review", "a", "Y")
    cache_file().parent.mkdir(parents=True, exist_ok=True)
    cache_file().write_bytes(b"SQLite format 3\x00 but then nothing sensible" * 50)
    assert judgement(tmp_path / "review") == "low"
    # The broken file was replaced by a working cache: a second run still gives the same summary.
    assert judgement(tmp_path / "review") == "low"
    assert cache_file().read_bytes().startswith(b"SQLite format 3\x00")


def test_a_file_saved_just_now_is_not_cached(tmp_path: Path) -> None:
    one_question_checklist()
    path = tiny_appraisal(tmp_path / "review", "a", "Y")
    os.utime(path)  # saved this instant: a second edit in the same clock tick could keep size and mtime
    assert judgement(tmp_path / "review") == "low"
    rewrite_keeping_size_and_mtime(path, "answer: 'Y'", "answer: 'N'")
    assert judgement(tmp_path / "review") == "high"


def test_answers_from_the_cache_are_the_answers_read_cold(tmp_path: Path) -> None:
    one_question_checklist()
    for name, answer in (("a", "Y"), ("b", "N")):
        tiny_appraisal(tmp_path / "review", name, answer, note=f'note for {name}, "quoted"')
    cold = long_csv(collect([tmp_path / "review"], answers=True))
    assert cache_file().exists()
    warm = long_csv(collect([tmp_path / "review"], answers=True))
    assert warm == cold and 'note for b, ""quoted""' in warm


def test_cached_rows_name_the_file_as_given_this_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one_question_checklist()
    path = tiny_appraisal(tmp_path / "review", "a", "Y")
    collect([path], answers=True)
    monkeypatch.chdir(tmp_path)
    relative = collect([Path("review")], answers=True)
    assert [study.path for study in relative.studies] == [str(Path("review") / "a.yaml")]
    assert {row["file"] for row in relative.answer_rows()} == {str(Path("review") / "a.yaml")}


def test_answers_from_the_cache_are_still_made_safe(tmp_path: Path) -> None:
    one_question_checklist()
    tiny_appraisal(tmp_path / "review", "a", "Y", note="=HYPERLINK(1) \x1b]0;title\x07 \u202eevil")
    tiny_appraisal(tmp_path / "review", "b", "Y", note="only a bidi override: \u202eevil")
    cold = long_csv(collect([tmp_path / "review"], answers=True))
    warm = long_csv(collect([tmp_path / "review"], answers=True))
    assert warm == cold
    assert "'=HYPERLINK(1) ␛]0;title␇ ⟨RLO⟩evil" in warm and "only a bidi override: ⟨RLO⟩evil" in warm


def test_a_study_with_nothing_to_make_safe_is_written_as_it_is(tmp_path: Path) -> None:
    one_question_checklist()
    tiny_appraisal(tmp_path / "review", "a", "Y", note="a - b = c; @home +1 – fine")
    for _ in range(2):  # cold, then from the cache
        assert ",a - b = c; @home +1 – fine," in long_csv(collect([tmp_path / "review"], answers=True))
