"""What a reviewer reads before trusting the package agrees with the code: name, version, licence."""

from __future__ import annotations

import tomllib

import yaml

from appraise import __version__
from tests.conftest import ROOT


def test_citation_names_the_contributors_and_this_version() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["version"] == __version__ and citation["license"] == "MIT"
    assert citation["authors"] == [{"name": "The appraise contributors"}]


def test_changelog_has_an_entry_for_this_version() -> None:
    assert f"## [{__version__}]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_distribution_is_appraise_workbench_with_the_appraise_command() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "appraise-workbench" and project["scripts"] == {"appraise": "appraise.cli:main"}
    assert "Typing :: Typed" in project["classifiers"] and (ROOT / "src" / "appraise" / "py.typed").is_file()
    assert "urls" not in project, "no project URLs until the project has a public home"


def test_readme_installs_the_distribution_name() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in (
        "uv tool install appraise-workbench",
        "pipx install appraise-workbench",
        "uvx --from appraise-workbench appraise",
    ):
        assert line in readme


def test_licence_is_mit_for_the_contributors() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "The appraise contributors" in licence
