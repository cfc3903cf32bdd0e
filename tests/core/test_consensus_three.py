"""A consensus of three: taking the third reviewer's side writes a file that validates and opens again."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.store import AppraisalStore, load_appraisal
from appraise.review.consensus import consensus_items, resolve
from tests.core.test_rematch import _unmatched_consensus


def test_taking_the_third_reviewers_side_is_a_valid_file(tmp_path: Path) -> None:
    out = _unmatched_consensus(tmp_path)
    store = AppraisalStore(out)
    appraisal = store.load().appraisal
    item = next(i for i in consensus_items(appraisal) if "c" in i.sides and i.sides["c"].answer is not None)
    resolve(appraisal, item.key, choose="c")
    store.save(appraisal)
    result = CliRunner().invoke(cli, ["validate", str(out)])
    assert result.exit_code == 0, result.output
    assert next(i for i in consensus_items(load_appraisal(out).appraisal) if i.key == item.key).chosen == "c"


def test_a_side_the_item_does_not_have_is_named_with_the_sides_it_has(tmp_path: Path) -> None:
    out = _unmatched_consensus(tmp_path)
    text = out.read_text(encoding="utf-8")
    out.write_text(re.sub(r"( +)status: open\n", r"\1status: resolved\n\1chosen: d\n", text, count=1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(out)])
    assert result.exit_code == 1 and "chosen 'd' is not a, b, c or new" in result.output
