"""Every CLI command that writes a file says clearly when it cannot: full disk, read-only, not a folder."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from appraise.cli import cli

DATA = Path(__file__).parent.parent / "data"


def commands(tmp_path: Path) -> dict[str, Callable[[Path], list[str]]]:
    """Each writing command, given the folder it must write into."""
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", a)
    shutil.copy(DATA / "pathways-home-reviewer-b.yaml", b)
    ris = tmp_path / "refs.ris"
    ris.write_text("TY  - JOUR\nTI  - Peer support at home\nAU  - Doe, Jane\nPY  - 2020\nER  - \n", encoding="utf-8")
    return {
        "report": lambda out: ["report", str(a), "-o", str(out / "r.html")],
        "summary": lambda out: ["summary", str(a), "-o", str(out / "s.csv")],
        "robvis": lambda out: ["summary", "-f", "robvis", "--allow-incomplete", str(a), "-o", str(out / "rv.csv")],
        "compare": lambda out: ["compare", str(a), str(b), "-o", str(out / "c.md")],
        "consensus": lambda out: ["consensus", str(a), str(b), "-o", str(out / "c.yaml")],
        "import": lambda out: ["import", str(ris), "-d", str(out / "refs")],
    }


NAMES = ["report", "summary", "robvis", "compare", "consensus", "import"]


def assert_clear_failure(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert expected in result.output


@pytest.mark.parametrize("name", NAMES)
def test_writing_under_a_file_instead_of_a_folder_is_a_clear_message(tmp_path: Path, name: str) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    assert_clear_failure(commands(tmp_path)[name](blocker / "sub"), "a part of the path is a file, not a folder")


def _mount(target: Path, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True)
    return done.returncode == 0


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """Mount a small tmpfs (needs root and mount rights; skipped elsewhere)."""
    mounts: list[Path] = []

    def make(options: str) -> Path:
        target = tmp_path / f"mnt{len(mounts)}"
        if shutil.which("mount") is None or not _mount(target, options):
            pytest.skip("cannot mount a tmpfs here (needs root)")
        mounts.append(target)
        return target

    yield make
    for target in mounts:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


@pytest.mark.parametrize("name", NAMES)
def test_a_full_disk_is_a_clear_message(tmp_path: Path, mounted: Callable[[str], Path], name: str) -> None:
    disk = mounted("size=8k")
    (disk / "refs").mkdir()
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as handle, pytest.raises(OSError):
        while True:
            handle.write(b"x" * 1024)
    assert_clear_failure(commands(tmp_path)[name](disk), "the disk is full")
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "refs"]  # no temp file left behind


@pytest.mark.parametrize("name", NAMES)
def test_a_read_only_folder_is_a_clear_message(tmp_path: Path, mounted: Callable[[str], Path], name: str) -> None:
    folder = mounted("size=64k,ro")
    assert_clear_failure(commands(tmp_path)[name](folder), "read-only")
