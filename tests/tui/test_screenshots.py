"""The README's pictures are the app as it is now: regenerated here and compared with the files."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from tests.conftest import ROOT

IMAGES = ROOT / "docs" / "images"


def screenshots() -> ModuleType:
    """docs/screenshots.py, the script behind `make screenshots`."""
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "docs" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_readme_screenshots_are_current(tmp_path: Path) -> None:
    written = await screenshots().export(tmp_path)
    assert len(written) == 4
    current = {p.name: p.read_bytes() for p in IMAGES.glob("*.svg")}
    stale = [p.name for p in written if current.get(p.name) != p.read_bytes()]
    assert not stale, f"docs/images is stale ({', '.join(stale)}): run `make screenshots` and look at the pictures"


def test_readme_shows_every_screenshot_as_an_image_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"!\[[^\]]+\]\((docs/images/[^)]+\.svg)\)", readme))
    assert linked == {f"docs/images/{p.name}" for p in IMAGES.glob("*.svg")} and len(linked) == 4
