"""Who "I" am: --reviewer, else the file's reviewer, else `appraise config reviewer` in the data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from appraise.cli import cli
from appraise.core.appraisal import Answer
from appraise.files.settings import settings_file
from appraise.files.store import AppraisalStore, load_appraisal
from appraise.review.history import entries
from tests.conftest import DATA


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def anonymous(tmp_path: Path) -> Path:
    """A reviewer's file with no ``reviewer:`` line."""
    path = tmp_path / "study.yaml"
    text = (DATA / "pathways-home-reviewer-a.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("reviewer: Alex Morgan\n", ""), encoding="utf-8")
    return path


def test_config_sets_the_reviewer_in_the_data_folders_settings(data_dir: Path) -> None:
    assert run("config", "reviewer", "Sam Okafor").exit_code == 0
    assert "reviewer: Sam Okafor" in settings_file(data_dir).read_text(encoding="utf-8")
    assert run("config", "reviewer").output == "Sam Okafor\n"
    assert "reviewer = Sam Okafor" in run("config").output


def test_config_unset_removes_the_reviewer() -> None:
    run("config", "reviewer", "Sam Okafor")
    assert run("config", "reviewer", "--unset").exit_code == 0
    result = run("config", "reviewer")
    assert result.exit_code == 1 and "not set" in result.output


def test_config_refuses_a_setting_it_does_not_know() -> None:
    result = run("config", "colour", "blue")
    assert result.exit_code == 2 and "known: reviewer" in result.output


def test_a_broken_settings_file_is_named_with_its_line(data_dir: Path, anonymous: Path) -> None:
    data_dir.mkdir(parents=True)
    settings_file(data_dir).write_text("reviewer: Sam\nreveiwer: Sam\n", encoding="utf-8")
    result = run("complete", str(anonymous))
    assert result.exit_code == 1
    assert f"{settings_file(data_dir)}:2:1: unknown setting 'reveiwer'" in result.output


def test_complete_names_the_settings_reviewer_when_the_file_has_none(anonymous: Path) -> None:
    run("config", "reviewer", "Sam Okafor")
    assert run("complete", str(anonymous)).exit_code == 0
    assert (load_appraisal(anonymous).appraisal.model_extra or {})["completed"]["by"] == "Sam Okafor"


def test_complete_without_anyone_to_name_says_how_to_set_it(anonymous: Path) -> None:
    result = run("complete", str(anonymous))
    assert result.exit_code == 2 and "appraise config reviewer NAME" in result.output


def test_the_files_reviewer_comes_before_the_settings_and_reviewer_before_both(tmp_path: Path) -> None:
    path = tmp_path / "alex.yaml"
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", path)
    run("config", "reviewer", "Sam Okafor")
    run("complete", str(path))
    assert (load_appraisal(path).appraisal.model_extra or {})["completed"]["by"] == "Alex Morgan"
    run("unlock", str(path), "--reason", "meeting", "--reviewer", "Bea Lund")
    assert entries(load_appraisal(path).appraisal)[-1]["by"] == "Bea Lund"


def test_each_save_names_the_settings_reviewer_when_the_file_has_none(anonymous: Path) -> None:
    run("config", "reviewer", "Sam Okafor")
    store = AppraisalStore(anonymous)
    appraisal = store.load().appraisal
    appraisal.answers["C5"] = Answer(answer="N")
    store.save(appraisal)
    assert entries(load_appraisal(anonymous).appraisal)[-1]["by"] == "Sam Okafor"


def test_an_unblinding_names_who_unblinded_not_each_files_author(tmp_path: Path) -> None:
    root = tmp_path / "review"
    files = []
    for name, source in (("alex", "a"), ("bea", "b")):
        (root / name).mkdir(parents=True)
        files.append(root / name / "pathways-home.yaml")
        shutil.copy(DATA / f"pathways-home-reviewer-{source}.yaml", files[-1])
    (root / "review.yaml").write_text("team: [alex, bea]\nblind: true\n", encoding="utf-8")
    run("config", "reviewer", "Chris Lead")
    assert run("compare", *map(str, files), "--unblind", "pilot meeting").exit_code == 0
    for path in files:
        assert entries(load_appraisal(path).appraisal)[-1]["by"] == "Chris Lead"


def test_a_consensus_file_names_the_person_at_work_not_its_consensus_label(tmp_path: Path) -> None:
    out = tmp_path / "consensus.yaml"
    files = [str(DATA / f"pathways-home-reviewer-{side}.yaml") for side in "ab"]
    assert run("consensus", *files, "-o", str(out)).exit_code == 0
    run("config", "reviewer", "Chris Lead")
    store = AppraisalStore(out)
    appraisal = store.load().appraisal
    appraisal.answers["B4"] = Answer(answer="P")
    store.save(appraisal)
    assert entries(load_appraisal(out).appraisal)[-1]["by"] == "Chris Lead"
    assert run("complete", str(out)).exit_code == 0
    assert (load_appraisal(out).appraisal.model_extra or {})["completed"]["by"] == "Chris Lead"
