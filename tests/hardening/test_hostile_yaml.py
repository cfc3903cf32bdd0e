"""Hostile and broken YAML: bounded time, no traceback, and every problem at a line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from appraise.files.problems import FileProblems, Problem
from appraise.files.yamlio import MAX_DEPTH, read_document

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefg", "bcdefgh", strict=True)
)


def problem_of(path: Path) -> Problem:
    with pytest.raises(FileProblems) as caught:
        read_document(path)
    (problem,) = caught.value.problems
    return problem


def write_bytes(tmp_path: Path, raw: bytes) -> Path:
    path = tmp_path / "file.yaml"
    path.write_bytes(raw)
    return path


def test_billion_laughs_is_refused_at_the_alias_that_overflows(tmp_path: Path) -> None:
    problem = problem_of(write_bytes(tmp_path, LAUGHS.encode()))
    assert problem.line >= 1 and "aliases here repeat more than 10,000 values" in problem.message


def test_an_alias_inside_its_own_anchor_is_refused_not_recursed(tmp_path: Path) -> None:
    problem = problem_of(write_bytes(tmp_path, b"notes: ok\nloop: &a [x, *a]\n"))
    assert problem.line == 2 and "refers to the value that contains it" in problem.message


def test_ordinary_aliases_still_work(tmp_path: Path) -> None:
    doc = read_document(write_bytes(tmp_path, b"a: &x {k: v}\nb: *x\n"))
    assert doc.data == {"a": {"k": "v"}, "b": {"k": "v"}}


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 600, 5000])
def test_deep_nesting_is_one_clear_problem(tmp_path: Path, levels: int) -> None:
    problem = problem_of(write_bytes(tmp_path, b"[" * levels + b"]" * levels))
    assert problem.line == 1 and "nest" in problem.message


def test_invalid_utf8_is_reported_at_the_line_and_column_of_the_bad_byte(tmp_path: Path) -> None:
    problem = problem_of(write_bytes(tmp_path, b"appraise: 1\nnotes: caf\xe9\n"))
    assert (problem.line, problem.column) == (2, 11)
    assert "0xe9" in problem.message and "save the file as UTF-8" in problem.message


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x7f"])
def test_a_raw_control_character_is_reported_at_its_line(tmp_path: Path, char: str) -> None:
    problem = problem_of(write_bytes(tmp_path, f"a: 1\nb: x{char}y\n".encode()))
    assert (problem.line, problem.column) == (2, 5)
    assert f"U+{ord(char):04X}" in problem.message


def test_utf16_is_refused_with_what_to_do(tmp_path: Path) -> None:
    problem = problem_of(write_bytes(tmp_path, "a: 1\n".encode("utf-16")))
    assert problem.line == 1 and "UTF-16" in problem.message and "UTF-8" in problem.message


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert read_document(write_bytes(tmp_path, codecs.BOM_UTF8 + b"a: b\n")).data == {"a": "b"}


@pytest.mark.parametrize(
    ("shape", "where", "message"),
    [
        ("sections: true\n", ":4:11: ", "sections: input should be a valid list"),
        ("sections:\n  - {id: A, title: a, questions: 7}\n", ":5:34: ", "questions: input should be a valid list"),
    ],
)
def test_a_checklist_whose_sections_or_questions_are_not_lists_is_a_message_at_its_line(
    tmp_path: Path, shape: str, where: str, message: str
) -> None:
    from click.testing import CliRunner

    from appraise.cli import cli

    path = tmp_path / "mine.yaml"
    path.write_text(f'id: mine\nversion: "1"\ntitle: Mine\n{shape}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1 and f"{path}{where}" in result.output and message in result.output
