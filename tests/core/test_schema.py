"""The JSON Schemas editors use accept every file appraise accepts, checked with a real validator."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from appraise.cli import cli
from appraise.core.appraisal import Appraisal
from appraise.core.checklist import Checklist
from appraise.learning.practice import find_vignette, list_vignettes, model_appraisal, start_practice
from tests.conftest import DATA, ROOT

BUNDLED = sorted((ROOT / "checklists").glob("*.yaml"))
FIXTURES = sorted(DATA.glob("*.yaml"))
YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)


def validator(kind: str) -> jsonschema.Draft202012Validator:
    """A validator for the schema exactly as ``appraise schema KIND`` prints it."""
    result = CliRunner().invoke(cli, ["schema", kind])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def problems(kind: str, data: Any) -> list[str]:
    """What the schema finds wrong with the data, as 'path: message' lines."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(kind).iter_errors(data)]


def readme_examples(text: str, model: type[Appraisal] | type[Checklist]) -> list[Any]:
    """The YAML examples of a document that appraise reads as a whole file of this kind."""
    found = []
    for block in YAML_BLOCK.findall(text):
        try:
            data = yaml.safe_load(block)
        except yaml.YAMLError:  # a snippet of a line or two, not a document
            continue
        if not isinstance(data, dict):
            continue
        try:
            model.model_validate(data)
        except Exception:  # a fragment (one key, a rule, a consensus record), not a whole file
            continue
        found.append(data)
    return found


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_appraisal_schema_accepts_every_fixture(path: Path) -> None:
    assert problems("appraisal", yaml.safe_load(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_checklist_schema_accepts_every_bundled_checklist(path: Path) -> None:
    assert problems("checklist", yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_appraisal_schema_accepts_every_practice_file_and_model_answer() -> None:
    entries, unreadable = list_vignettes()
    assert entries and not unreadable
    for entry in entries:
        vignette = find_vignette(entry.id)
        for appraisal in (start_practice(vignette), model_appraisal(vignette)):
            assert problems("appraisal", appraisal.to_data()) == [], entry.id


def test_appraisal_schema_accepts_bare_codes_and_numeric_year_and_page() -> None:
    data = yaml.safe_load(
        "appraise: 1\nchecklist: {id: rob2, version: 1}\nstudy: {title: T, year: 2024}\n"
        "answers:\n  '1.1': Y\n  '1.2': {answer: PY, page: 4}\n"
    )
    Appraisal.model_validate(data)  # appraise reads it ...
    assert problems("appraisal", data) == []  # ... so the editor must not flag it


def test_appraisal_schema_flags_an_unquoted_yes_as_appraise_does() -> None:
    data = yaml.safe_load("appraise: 1\nchecklist: {id: rob2}\nanswers: {'1.1': Yes}\n")
    with pytest.raises(ValueError, match="quotes"):
        Appraisal.model_validate(data)
    assert [p for p in problems("appraisal", data) if p.startswith("answers/1.1")]


def test_readme_appraisal_examples_pass_the_schema() -> None:
    examples = readme_examples((ROOT / "README.md").read_text(encoding="utf-8"), Appraisal)
    assert examples, "the README's hand-written appraisal is no longer found"
    for data in examples:
        assert problems("appraisal", data) == []


def test_schema_output_option_writes_the_same_schema_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "appraisals" / "appraisal.schema.json"
    written = CliRunner().invoke(cli, ["schema", "appraisal", "-o", str(target)])
    printed = CliRunner().invoke(cli, ["schema", "appraisal"])
    assert written.exit_code == 0 and json.loads(target.read_text(encoding="utf-8")) == json.loads(printed.output)
    assert "{" not in written.stdout


def test_readme_names_the_schema_by_a_relative_path_for_both_kinds() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = re.findall(r"# yaml-language-server: \$schema=([^\s`]+)", readme)
    assert {"./appraisal.schema.json", "./checklist.schema.json"} <= set(lines)
    assert all(not line.startswith("/") and "://" not in line for line in lines)
