"""Fixtures: trial papers written as real PDFs in the test's folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.papers.make_pdf import trial_pdf


@pytest.fixture
def trial(tmp_path: Path) -> Path:
    """A six-page trial report PDF (two-column methods on page 2, labels 1369-1374, page 4 a figure only)."""
    return trial_pdf(tmp_path / "pathways-home.pdf")
