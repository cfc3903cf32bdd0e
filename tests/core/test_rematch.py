"""Fixing an outcome match of a consensus: see how outcomes were matched, link one, the consensus is rebuilt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.store import load_appraisal
from appraise.review.consensus import record_of, resolve
from appraise.review.rematch import RematchError, consensus_matching, relink
from tests.conftest import DATA


def _unmatched_consensus(tmp_path: Path) -> Path:
    """Alex, Bea and Chidi; Chidi named readmission so differently that it matches nothing."""
    files = []
    for name, source in (("alex", "a"), ("bea", "b"), ("chidi", "a")):
        path = tmp_path / f"{name}.yaml"
        shutil.copy(DATA / f"pathways-home-reviewer-{source}.yaml", path)
        files.append(path)
    text = files[2].read_text(encoding="utf-8").replace("reviewer: Alex Morgan", "reviewer: Chidi Okafor")
    text = text.replace(
        "{id: readmission, name: Readmission within 12 months",
        "{id: back-in-hospital, name: Back in hospital at 1 year",
    ).replace("\n  readmission:", "\n  back-in-hospital:")
    files[2].write_text(text, encoding="utf-8")
    out = tmp_path / "consensus.yaml"
    result = CliRunner().invoke(cli, ["consensus", *map(str, files), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_matching_shows_an_outcome_only_one_reviewer_has(tmp_path: Path) -> None:
    out = _unmatched_consensus(tmp_path)
    matching = consensus_matching(out, load_appraisal(out).appraisal).matching
    only = {link.canonical: link.names for link in matching.unmatched}
    assert only["back-in-hospital"] == [None, None, "Back in hospital at 1 year"]
    assert only["readmission"][2] is None


def test_linking_rebuilds_the_consensus_with_the_outcome_compared_across_all_three(tmp_path: Path) -> None:
    out = _unmatched_consensus(tmp_path)
    appraisal = load_appraisal(out).appraisal
    relink(out, appraisal, load_appraisal(out).checklist, 2, "back-in-hospital", "readmission")
    record = record_of(appraisal)
    assert record is not None
    assert record.matches == [f"{tmp_path / 'chidi.yaml'}:back-in-hospital=readmission"]
    ids = {o.id for o in appraisal.outcomes}
    assert "readmission" in ids and "back-in-hospital" not in ids
    assert all("back-in-hospital" not in key for key in record.items)
    e3 = record.items["E3@readmission"]
    assert len(e3.sides) == 3 and e3.sides["c"].answer == e3.sides["a"].answer


def test_resolved_items_stay_resolved_when_their_sides_are_unchanged(tmp_path: Path) -> None:
    out = _unmatched_consensus(tmp_path)
    loaded = load_appraisal(out)
    resolve(loaded.appraisal, "B4", choose="b")
    relink(out, loaded.appraisal, loaded.checklist, 2, "back-in-hospital", "readmission")
    record = record_of(loaded.appraisal)
    assert record is not None and record.items["B4"].status == "resolved" and record.items["B4"].chosen == "b"


def test_a_consensus_whose_reviewers_files_are_gone_says_which(tmp_path: Path) -> None:
    out = _unmatched_consensus(tmp_path)
    (tmp_path / "bea.yaml").unlink()
    with pytest.raises(RematchError, match=r"bea\.yaml is not found"):
        consensus_matching(out, load_appraisal(out).appraisal)


def test_in_a_review_folder_where_every_file_has_the_same_name_a_link_is_kept_and_taken_back(tmp_path: Path) -> None:
    files = []
    for name in ("alex", "bea", "chidi"):
        (tmp_path / name).mkdir()
        files.append(tmp_path / name / "pathways-home.yaml")
    _unmatched_consensus(tmp_path)  # writes alex.yaml, bea.yaml and chidi.yaml
    for name, path in zip(("alex", "bea", "chidi"), files, strict=True):
        shutil.copy(tmp_path / f"{name}.yaml", path)
    out = tmp_path / "consensus" / "pathways-home.yaml"
    assert CliRunner().invoke(cli, ["consensus", *map(str, files), "-o", str(out)]).exit_code == 0
    loaded = load_appraisal(out)
    relink(out, loaded.appraisal, loaded.checklist, 2, "back-in-hospital", "readmission")
    assert not any(
        link.canonical == "back-in-hospital" for link in consensus_matching(out, loaded.appraisal).matching.links
    )
    relink(out, loaded.appraisal, loaded.checklist, 2, "back-in-hospital", None)
    record = record_of(loaded.appraisal)
    assert record is not None and record.matches == []
