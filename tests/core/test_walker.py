"""The one walk over folders: each file once, however it is named (links, relative paths, a folder twice)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from appraise.files.walker import Resolver, yaml_files


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """A folder of appraisals, a link to one of them, and a link to the whole folder."""
    review = tmp_path / "review"
    (review / "sub").mkdir(parents=True)
    for name in ("a.yaml", "sub/b.yaml"):
        (review / name).write_text("appraise: 1\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "c.yaml").write_text("appraise: 1\n", encoding="utf-8")
    os.symlink(tmp_path / "elsewhere" / "c.yaml", review / "c-link.yaml")
    os.symlink(review, tmp_path / "review-link")
    return tmp_path


def test_resolving_many_files_gives_what_resolving_each_gives(linked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(linked / "review")
    resolve = Resolver()
    for path in [
        linked / "review" / "a.yaml",
        linked / "review-link" / "sub" / "b.yaml",
        linked / "review" / "c-link.yaml",
        linked / "review-link" / "c-link.yaml",
        Path("a.yaml"),
        Path("sub/../a.yaml"),
        Path("sub/.."),
        linked / "review" / "missing.yaml",
    ]:
        assert resolve(path) == path.resolve(), path


def test_a_file_named_through_a_link_and_directly_is_read_once(linked: Path) -> None:
    files = yaml_files([linked / "review", linked / "review-link", linked / "elsewhere" / "c.yaml"])
    assert [p.relative_to(linked).as_posix() for p in files] == [
        "review/a.yaml",
        "review/c-link.yaml",
        "review/sub/b.yaml",
    ]
