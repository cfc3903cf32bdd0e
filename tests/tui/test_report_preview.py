"""The report preview paints its first section at once and then shows the whole report, every section."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import MarkdownViewer

from appraise.files.store import load_appraisal
from appraise.reports.report import render_report
from appraise.tui import AppraiseApp
from appraise.tui.screens.report import ReportScreen, sections
from tests.tui.conftest import WIDE, settle


def h2_lines(markdown: str) -> list[str]:
    return [line[3:].strip() for line in markdown.splitlines() if line.startswith("## ")]


async def test_the_preview_ends_up_showing_the_whole_report(
    pathways: Path, make_app: Callable[..., AppraiseApp]
) -> None:
    app = make_app(pathways)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReportScreen)
        document = app.screen.query_one(MarkdownViewer).document
        report = render_report(load_appraisal(pathways), "md")
        assert document.source == report
        headings = [str(h.content) for h in document.query("MarkdownH2")]
        assert headings == h2_lines(report) and len(headings) > 5


async def test_the_contents_list_every_section_once_the_report_has_arrived(
    pathways: Path, make_app: Callable[..., AppraiseApp]
) -> None:
    app = make_app(pathways)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("r")
        await settle(app, pilot)
        toc = app.screen.query_one(MarkdownViewer).document.table_of_contents
        report = render_report(load_appraisal(pathways), "md")
        assert [str(name) for level, name, _ in toc if level == 2] == h2_lines(report)


def test_the_report_is_cut_only_before_its_section_headings() -> None:
    markdown = "# Title\n\nintro\n\n## One\n\ntext\n\n## Two\n\nmore\n"
    parts = sections(markdown, first_lines=3)
    assert "".join(parts) == markdown
    assert parts == ["# Title\n\nintro\n\n", "## One\n\ntext\n\n", "## Two\n\nmore\n"]
