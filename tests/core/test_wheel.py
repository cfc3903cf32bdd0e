"""The installed wheel carries the bundled checklists and templates and works from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_installed_wheel_finds_bundled_data_from_another_folder(tmp_path: Path, pathways: Path) -> None:
    dist, site, elsewhere = tmp_path / "dist", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)], check=True)
    (wheel,) = dist.glob("appraise-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True)
    env = {**os.environ, "PYTHONPATH": str(site)}

    def appraise(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "appraise", *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    listing = appraise("checklists", "--json")
    assert listing.returncode == 0, listing.stderr
    entry = next(r for r in json.loads(listing.stdout) if r["id"] == "peer-support")
    assert Path(entry["path"]).is_relative_to(site), "bundled checklist not read from the installed wheel"
    report = appraise("report", str(pathways), "-f", "html")
    assert report.returncode == 0, report.stderr
    assert "Moderate confidence" in report.stdout
