"""The one registry of output formats: -f choices, suffixes, and unsupported suffixes as usage errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.reports import formats

DATA = Path(__file__).parent.parent / "data"


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", ["x.odt", "report.txt", "noext"])
def test_a_report_suffix_that_is_not_offered_is_a_usage_error_listing_those_that_are(tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    result = invoke("report", str(DATA / "rob2-complete.yaml"), "-o", str(target))
    assert result.exit_code == 2
    assert ".md" in result.output and ".html" in result.output and ".docx" in result.output
    assert not target.exists()  # never a silent Markdown file under another name


def test_a_summary_suffix_that_is_not_offered_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("summary", str(DATA / "rob2-complete.yaml"), "-o", str(tmp_path / "x.odt"))
    assert result.exit_code == 2 and ".xlsx" in result.output and ".svg" in result.output


def test_an_explicit_format_wins_over_the_suffix(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    assert invoke("report", str(DATA / "rob2-complete.yaml"), "-f", "md", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("#")


def test_a_template_rendered_format_is_a_template_plus_one_registration(tmp_path: Path, monkeypatch: Any) -> None:
    from appraise.files.store import load_appraisal
    from appraise.reports.report import render_report

    folder = tmp_path / "data"
    (folder / "templates").mkdir(parents=True)
    (folder / "templates" / "report.txt.j2").write_text("{{ study.label }}: {{ overall[0].view.label }}\n", "utf-8")
    monkeypatch.setenv("APPRAISE_DATA_DIR", str(folder))
    monkeypatch.setitem(formats.FORMATS, "txt", formats.OutputFormat("txt", "Plain text", (".txt",), ("report",)))
    assert formats.for_output("report", None, Path("a.txt")).name == "txt"
    text = render_report(load_appraisal(DATA / "rob2-complete.yaml"), "txt")
    assert text == "Okafor 2021: Low risk of bias\n"


def test_the_terminal_apps_export_list_comes_from_the_registry() -> None:
    assert list(formats.tui_formats("report")) == ["md", "html", "json", "docx"]


def test_paper_follows_the_locale_unless_chosen(monkeypatch: Any) -> None:
    for variable in ("APPRAISE_PAPER", "LC_ALL", "LC_PAPER", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert formats.paper_size() == "letter"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert formats.paper_size() == "A4"
    monkeypatch.setenv("APPRAISE_PAPER", "letter")
    assert formats.paper_size() == "letter"


def test_printed_html_keeps_headings_with_what_follows_and_rows_whole() -> None:
    html = invoke("report", str(DATA / "rob2-complete.yaml"), "-f", "html").output
    assert (
        "@page { size: " in html
        and "break-after: avoid" in html
        and "tr { break-inside: avoid" in html.replace(".card, .q, tr", "tr")
    )


def test_paper_option_prints_the_html_on_letter(monkeypatch: Any) -> None:
    monkeypatch.setenv("APPRAISE_PAPER", "")  # so that the option's setting is undone after the test
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert "@page { size: A4;" in invoke("report", str(DATA / "rob2-complete.yaml"), "-f", "html").output
    html = invoke("summary", str(DATA / "rob2-complete.yaml"), "-f", "html", "--paper", "letter").output
    assert "@page { size: letter;" in html


def test_page_size_option_prints_the_report_on_letter(monkeypatch: Any) -> None:
    monkeypatch.setenv("APPRAISE_PAPER", "")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    html = invoke("report", str(DATA / "rob2-complete.yaml"), "-f", "html", "--page-size", "letter").output
    assert "@page { size: letter;" in html
