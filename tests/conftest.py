"""Shared fixtures: every test gets its own data directory, so nothing touches the user's files."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest

T = TypeVar("T")

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty appraise data directory for this test only."""
    folder = tmp_path / "appraise-data"
    monkeypatch.setenv("APPRAISE_DATA_DIR", str(folder))
    for name in ("TEXTUAL_THEME", "TEXTUAL_ANIMATIONS", "TEXTUAL_FPS", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.fixture
def pathways(tmp_path: Path) -> Path:
    """A copy of the PATHWAYS-HOME expert appraisal that the test may change."""
    target = tmp_path / "pathways-home.yaml"
    shutil.copy(DATA / "pathways-home.yaml", target)
    return target


def require_tool(name: str) -> None:
    """Skip when a system tool is missing, except in CI, where its absence is a failure."""
    if shutil.which(name):
        return
    if os.environ.get("APPRAISE_REQUIRE_SYSTEM_TOOLS"):
        pytest.fail(f"{name} is required in CI (.ci/run installs it)")
    pytest.skip(f"{name} is not installed")


def wait_for(
    condition: Callable[[], T | None], what: str, timeout: float = 60, seen: Callable[[], str] | None = None
) -> T:
    """Poll until ``condition`` gives a true value (the event the test needs), or fail naming it.

    The one poller of the suite: files, ports and terminal screens give no event to wait on, so
    they are looked at again every 50 ms. ``seen`` says what was there instead, for the failure.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}" + (f"; it was:\n{seen()}" if seen else ""))


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    """Debian's headless Chromium driven by Debian's chromedriver (selenium never downloads a browser)."""
    require_tool("chromium")
    require_tool("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        yield driver
    finally:
        driver.quit()
