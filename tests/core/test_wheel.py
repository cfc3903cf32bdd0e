"""The wheel is what users get: built from a clean clone, installed in a fresh venv, used from elsewhere.

The build goes clone → sdist → wheel built from the unpacked sdist, so a file missing from the sdist
fails here too. The venv is made outside the checkout and the commands run in another folder, so
nothing can be found by accident in the source tree.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from appraise import __version__
from appraise.cli import cli
from tests.conftest import DATA, ROOT, wait_for

DIST = "appraise_workbench"


def build(tmp_path: Path) -> tuple[Path, Path]:
    """The sdist of a clean clone of the repository, and the wheel built from that sdist."""
    source = tmp_path / "clone"
    if (ROOT / ".git").exists():
        subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(source)], check=True)
    else:  # tests run from an unpacked sdist: that is the clean source
        shutil.copytree(ROOT, source)
    dist = tmp_path / "dist"
    hatchling = [sys.executable, "-m", "hatchling", "build", "-d", str(dist)]
    subprocess.run([*hatchling, "-t", "sdist"], cwd=source, check=True, capture_output=True)
    (sdist,) = dist.glob(f"{DIST}-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    subprocess.run([*hatchling, "-t", "wheel"], cwd=unpacked, check=True, capture_output=True)
    (wheel,) = dist.glob(f"{DIST}-*.whl")
    return sdist, wheel


@pytest.mark.slow
def test_wheel_and_sdist_carry_the_licence_metadata_and_bundled_data(tmp_path: Path) -> None:
    sdist, wheel = build(tmp_path)
    assert wheel.name == f"{DIST}-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"{DIST}-{__version__}.dist-info/METADATA").decode()
    assert f"{DIST}-{__version__}.dist-info/licenses/LICENSE" in names
    assert "appraise/py.typed" in names
    for bundled in ("checklists/peer-support.yaml", "checklists/glossary/glossary.yaml", "templates/report.html.j2"):
        assert f"appraise/_bundled/{bundled}" in names
    assert any(n.startswith("appraise/_bundled/checklists/practice/") for n in names)
    assert "Name: appraise-workbench" in metadata and "Classifier: Typing :: Typed" in metadata
    assert "License-Expression: MIT" in metadata
    with tarfile.open(sdist) as archive:
        top = {Path(n).relative_to(f"{DIST}-{__version__}").as_posix() for n in archive.getnames() if "/" in n}
    assert {"LICENSE", "CHANGELOG.md", "CITATION.cff", "README.md"} <= top


@pytest.fixture
def venv(tmp_path: Path) -> Iterator[Path]:
    """A folder for a virtual environment, removed after the test: ~500 MB that pytest would otherwise
    keep on disk for three more runs."""
    path = tmp_path / "venv"
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.slow
def test_the_installed_wheel_works_from_any_folder(tmp_path: Path, venv: Path) -> None:
    _, wheel = build(tmp_path)
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python, script = venv / "bin" / "python", venv / "bin" / "appraise"
    # A real install, dependencies and all, as pipx or uv would do it.
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, cwd=elsewhere)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HOME=str(home), APPRAISE_DATA_DIR=str(home / "appraise"), NO_COLOR="1")
    for name in ("pathways-home.yaml", "pathways-home-reviewer-a.yaml", "pathways-home-reviewer-b.yaml"):
        shutil.copy(DATA / name, elsewhere / name)
    (elsewhere / "refs.ris").write_text(
        "TY  - JOUR\nTI  - Peer support after discharge\nAU  - Okafor, N\nPY  - 2019\nDO  - 10.1/x\nER  - \n",
        encoding="utf-8",
    )
    ran: set[str] = set()

    def appraise(*args: str, status: int = 0) -> str:
        """Run the installed command in the other folder; its output (stdout, then stderr)."""
        result = subprocess.run(
            [str(script), *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == status, f"appraise {' '.join(args)}: {result.stderr}"
        assert "Traceback" not in result.stderr
        ran.add(args[0])
        return result.stdout + result.stderr

    assert __version__ in appraise("--version")
    listing = json.loads(appraise("checklists", "--json"))
    entry = next(row for row in listing if row["id"] == "peer-support")
    assert Path(entry["path"]).is_relative_to(venv), "bundled checklist not read from the installed wheel"
    assert "ok" in appraise("validate", "pathways-home.yaml")
    assert "Moderate confidence" in appraise("report", "pathways-home.yaml", "-f", "html")
    appraise("schema", "appraisal", "-o", "appraisal.schema.json")
    assert json.loads((elsewhere / "appraisal.schema.json").read_text(encoding="utf-8"))["properties"]["answers"]
    assert "concealment" in appraise("glossary", "concealment").lower()
    assert "hope-rising" in appraise("practice", "--list")
    assert "kappa" in appraise("compare", "pathways-home-reviewer-a.yaml", "pathways-home-reviewer-b.yaml")
    appraise("consensus", "pathways-home-reviewer-a.yaml", "pathways-home-reviewer-b.yaml", "-o", "c.yaml")
    assert (elsewhere / "c.yaml").is_file()
    assert "Fenwick-Tarrant" in appraise("summary", ".", "-f", "csv")
    appraise("import", "refs.ris", "-d", "imported")
    assert len(list((elsewhere / "imported").glob("*.yaml"))) == 1
    for reviewer, letter in (("alex", "a"), ("bea", "b")):  # a review folder: one folder per reviewer
        (elsewhere / "review" / reviewer).mkdir(parents=True)
        shutil.copy(DATA / f"pathways-home-reviewer-{letter}.yaml", elsewhere / "review" / reviewer / "p.yaml")
    assert "Calibration" in appraise("calibrate", "review", "-f", "md")
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", elsewhere / "mine.yaml")
    appraise("config", "reviewer", "Alex Morgan")  # kept in the data folder's settings
    assert "Alex Morgan" in appraise("config", "reviewer")
    assert "locked" in appraise("complete", "mine.yaml")
    assert "marked complete" in appraise("history", "mine.yaml")
    assert "unlocked" in appraise("unlock", "mine.yaml", "--reason", "a second look")
    assert "History of changes" in appraise("report", "mine.yaml", "--history")
    from tests.papers.make_pdf import trial_pdf  # a real PDF, read by the installed pypdfium2

    trial_pdf(elsewhere / "trial.pdf")
    shutil.copy(DATA / "pathways-home.yaml", elsewhere / "with-paper.yaml")
    assert "6 page(s)" in appraise("attach", "with-paper.yaml", "trial.pdf")
    assert "the quote for B4 is not in trial.pdf" in appraise("validate", "with-paper.yaml")
    # The app's commands, up to where they would need a terminal: they load and check their input.
    appraise("open", "missing.yaml", status=2)
    appraise("new", "-c", "no-such-checklist", status=2)

    # The app itself, headless, from the installed package: practice from the start screen.
    app_check = (
        "import asyncio, sys\n"
        "from appraise.tui import AppraiseApp\n"
        "async def main():\n"
        "    app = AppraiseApp(cursor_blink=False)\n"
        "    async with app.run_test(size=(120, 40)) as pilot:\n"
        "        await pilot.press('p'); await pilot.pause(); await pilot.press('1'); await pilot.pause()\n"
        "        await pilot.press('1'); await app.workers.wait_for_complete(); await pilot.pause()\n"
        "        print(type(app.screen).__name__, app.screen.store.path)\n"
        "        await pilot.press('ctrl+q')\n"
        "asyncio.run(main())\n"
    )
    started = subprocess.run(
        [str(python), "-c", app_check], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
    )
    assert started.returncode == 0, started.stderr
    screen, practice = started.stdout.split()
    assert screen == "PracticeAppraisalScreen" and Path(practice).is_relative_to(home / "appraise")
    assert "agree" in appraise("practice", "score", practice).lower()

    # `appraise serve` answers a browser's first request.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(script), "serve", "--classroom", "--port", str(port), "--sessions", str(tmp_path / "sessions")],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def first_page() -> str:
            """The page, once the server listens ('' until then); a note if the server ended instead."""
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
            except OSError:
                return "" if server.poll() is None else "the server ended"

        page = wait_for(first_page, "the server's first page")
        assert "appraise (classroom)" in page
        ran.add("serve")
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert ran - {"--version"} == set(cli.list_commands(click.Context(cli))), "a command the wheel test does not run"
