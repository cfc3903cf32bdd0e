"""`appraise calibrate --match`: an outcome named too differently to match is linked by hand, as in compare."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from appraise.cli import cli
from tests.conftest import DATA


def _review(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    for name, source in (("alex", "a"), ("bea", "b")):
        (root / name).mkdir(parents=True)
        shutil.copy(DATA / f"pathways-home-reviewer-{source}.yaml", root / name / "pathways-home.yaml")
    bea = root / "bea" / "pathways-home.yaml"
    old, new = "{id: readmission, name: Readmission within 12 months", "{id: back, name: Back in hospital at one year"
    text = bea.read_text(encoding="utf-8").replace(old, new)
    bea.write_text(text.replace("\n  readmission:", "\n  back:"), encoding="utf-8")
    (root / "review.yaml").write_text("team: [alex, bea]\n", encoding="utf-8")
    return root


def _per_outcome_items(output: str) -> int:
    data = json.loads(output)
    return sum(len(q["items"]) for q in data["questions"] if q["id"].startswith("E"))


def test_without_a_link_the_renamed_outcome_is_not_compared_and_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["calibrate", str(_review(tmp_path)), "-f", "json"])
    assert result.exit_code == 0
    assert "'Back in hospital at one year' (back) is only in the file(s) of Bea Lund" in result.output


def test_match_links_the_outcome_and_its_questions_are_compared(tmp_path: Path) -> None:
    root = _review(tmp_path)
    plain = CliRunner().invoke(cli, ["calibrate", str(root), "-f", "json"]).stdout
    linked = CliRunner().invoke(
        cli, ["calibrate", str(root), "-f", "json", "--match", "bea/pathways-home.yaml:back=readmission"]
    )
    assert linked.exit_code == 0, linked.output
    assert "(back) is only in" not in linked.output
    assert _per_outcome_items(linked.stdout) > _per_outcome_items(plain)


def test_match_naming_a_file_not_in_the_review_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["calibrate", str(_review(tmp_path)), "--match", "carl/x.yaml:back=readmission"])
    assert result.exit_code == 2 and "no file carl/x.yaml" in result.output
