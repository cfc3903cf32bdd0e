"""Shared fixtures: every test gets its own data directory, so nothing touches the user's files."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

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


def wait_for(condition: Callable[[], T | None], what: str, timeout: float = 60) -> T:
    """Poll until ``condition`` gives a true value (the event the test needs), or fail naming it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)  # the poll interval
    pytest.fail(f"timed out waiting for {what}")
