"""The HTML pages in a real browser (headless Chromium): they render, offline, with what matters visible."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from tests.conftest import DATA, require_tool

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    require_tool("chromium")
    profile = tmp_path / "profile"
    return subprocess.run(
        ["chromium", *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_html_report_renders_in_a_browser_with_judgements_and_no_network(tmp_path: Path, pathways: Path) -> None:
    page = tmp_path / "report.html"
    assert CliRunner().invoke(cli, ["report", str(pathways), "-o", str(page)]).exit_code == 0
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert "Moderate confidence" in dom and "Rule trace" in dom
    assert "http://" not in page.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
    shot = tmp_path / "report.png"
    chromium(tmp_path, "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri())
    assert shot.is_file() and shot.stat().st_size > 20_000  # a real picture, not a blank page


@pytest.mark.slow
def test_summary_page_draws_its_figures_in_a_browser(tmp_path: Path) -> None:
    folder = tmp_path / "appraisals"
    folder.mkdir()
    shutil.copy(DATA / "pathways-home.yaml", folder / "one.yaml")
    page = tmp_path / "summary.html"
    assert CliRunner().invoke(cli, ["summary", str(folder), "-o", str(page)]).exit_code == 0
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert dom.count("<svg") >= 2 and "Fenwick-Tarrant 2024" in dom
