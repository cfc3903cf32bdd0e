"""The terminal app: the only package of appraise that imports Textual. A thin client of the core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from appraise.tui.app import AppraiseApp

__all__ = ["AppraiseApp", "run"]


def run(path: Path | None = None, **kwargs: Any) -> None:
    """Open the app: on an appraisal file, on a new appraisal (``checklist=``), or on the start screen."""
    AppraiseApp(path, **kwargs).run()
