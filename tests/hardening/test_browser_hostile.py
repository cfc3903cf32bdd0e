"""Hostile markup in an appraisal runs no script in a real browser and is shown as the text it is.

The HTML report, summary, comparison and calibration of files whose title, reviewer, outcome,
notes and quotes hold script tags, event handlers, ``javascript:`` links, SVG with script and CSS
expressions are opened in Debian's headless Chromium (selenium with /usr/bin/chromedriver). Every
payload would set ``window.__pwned`` or the page title if it ran.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.core.text import visible
from tests.conftest import chromium
from tests.hardening.hostile import BROWSER_PAYLOADS, browser_hostile_appraisal

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("profile")) as driver:
        yield driver


def write(tmp_path: Path, *args: str) -> Path:
    page = tmp_path / "page.html"
    result = CliRunner().invoke(cli, [*args, "-f", "html", "-o", str(page)])
    assert result.exit_code == 0, result.output
    return page


def hostile_review(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    for reviewer in ("alex", "bea"):
        (root / reviewer).mkdir(parents=True)
        browser_hostile_appraisal(root / reviewer, "pathways-home.yaml")
    shutil.copy(root / "alex" / "pathways-home.yaml", tmp_path / "web.yaml")
    (root / "review.yaml").write_text("review: Web\nchecklist: {id: peer-support}\nteam: [alex, bea]\n")
    return root


def pages(tmp_path: Path) -> dict[str, list[str]]:
    review = hostile_review(tmp_path)
    other = tmp_path / "other.yaml"
    shutil.copy(Path(__file__).parent.parent / "data" / "pathways-home-reviewer-b.yaml", other)
    return {
        "report": ["report", str(tmp_path / "web.yaml")],
        "summary": ["summary", str(tmp_path / "web.yaml")],
        "compare": ["compare", str(review / "alex" / "pathways-home.yaml"), str(other)],
        "calibrate": ["calibrate", str(review)],
    }


def open_page(driver: Any, page: Path) -> None:
    """Load the page and wait until it and every image (whose error would fire ``onerror``) are done."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(page.as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")  # lazy images load; handlers fire
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return Array.from(document.images).every(i => i.complete)")
    )


@pytest.mark.parametrize("kind", ["report", "summary", "compare", "calibrate"])
def test_no_payload_runs_in_chromium(browser: Any, tmp_path: Path, kind: str) -> None:
    page = write(tmp_path, *pages(tmp_path)[kind])
    open_page(browser, page)
    assert browser.execute_script("return window.__pwned === undefined && parent.__pwned === undefined")
    assert browser.title != "PWNED"  # the payloads set exactly this; the real title quotes them as text
    # Nothing a click or a later event could run: no handler attribute, no javascript: URL, no frame.
    found = browser.execute_script(
        """return Array.from(document.querySelectorAll('*')).flatMap(e =>
             Array.from(e.attributes).filter(a => /^on/i.test(a.name) || /javascript:|expression\\(/i.test(a.value))
               .map(a => e.tagName + ' ' + a.name + '=' + a.value)
           ).concat(Array.from(document.querySelectorAll('iframe, embed, object')).map(e => e.tagName))"""
    )
    assert found == []


def test_the_report_shows_every_payload_as_literal_text(browser: Any, tmp_path: Path) -> None:
    page = write(tmp_path, *pages(tmp_path)["report"])
    open_page(browser, page)
    text = browser.execute_script("return document.body.textContent")
    for payload in BROWSER_PAYLOADS:
        assert visible(payload) in text, payload  # as text, escape sequences as visible stand-ins
    shown = browser.find_element("tag name", "body").text  # what is on the screen, not only in the DOM
    assert "<script>window.__pwned='script'" in shown and "⟨RLO⟩" in shown and "{{ 7*7 }}" in shown


def test_the_summary_shows_the_hostile_title_as_literal_text(browser: Any, tmp_path: Path) -> None:
    page = write(tmp_path, *pages(tmp_path)["summary"])
    open_page(browser, page)
    text = browser.execute_script("return document.body.textContent")
    assert "<img src=x onerror=" in text and "<svg onload=" in text
