"""Reading YAML the house way: safe, strings stay strings, duplicates and syntax errors located."""

from __future__ import annotations

from pathlib import Path

import pytest

from appraise.files.atomic import atomic_write_text
from appraise.files.problems import FileProblems
from appraise.files.yamlio import dump, read_document


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_numeric_looking_keys_and_values_stay_strings(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "1.1: Y\n1.10: N\npage: 6\nversion: 2.0\n"))
    assert doc.data == {"1.1": "Y", "1.10": "N", "page": "6", "version": "2.0"}


def test_booleans_stay_booleans_so_they_can_be_reported(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a: Yes\nb: no\nc: true\nd: ~\n"))
    assert doc.data == {"a": True, "b": False, "c": True, "d": None}


def test_duplicate_key_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    with pytest.raises(FileProblems) as caught:
        read_document(write(tmp_path, "answers:\n  A1: Y\n  A1: N\n"))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (3, 3)
    assert "duplicate key 'A1'" in problem.message and "line 2" in problem.message


def test_syntax_error_points_at_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "id: x\nsections:\n  - id: A\n   title: bad indent\n")
    with pytest.raises(FileProblems) as caught:
        read_document(path)
    text = str(caught.value)
    assert text.startswith(f"{path}:4:")
    assert "not valid YAML" in text


def test_unsafe_tags_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FileProblems):
        read_document(write(tmp_path, "x: !!python/object/apply:os.system ['echo hacked']\n"))


def test_positions_are_recorded_for_nested_values(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "a:\n  b:\n    - c: 1\n"))
    assert doc.position(("a", "b", 0, "c")) == (3, 10)
    assert doc.position(("a", "b", 0, "missing")) == (3, 7)


def test_dump_quotes_what_would_read_back_as_another_type(tmp_path: Path) -> None:
    data = {"1.1": "Yes", "page": "6", "version": "1", "note": "two\nlines", "plain": "Y"}
    path = tmp_path / "out.yaml"
    atomic_write_text(path, dump(data))
    assert read_document(path).data == data
    assert "note: |" in path.read_text()


def test_atomic_write_keeps_the_old_file_when_the_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("old\n")

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", crash)
    with pytest.raises(OSError):
        atomic_write_text(path, "new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]  # no temp file left behind


SCALARS = [
    *("yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF y n Y N".split()),
    *("~ null Null NULL nul nulls yess offf".split()),
    *("1 1.1 -2 0x1F 1e3 .inf .NaN 2024-01-31 2024-01-31T10:00:00Z 12:30 1_000 +12 0o17".split()),
    "",
    "=",
    "<<",
    "A2",
    "rct",
    "A long note, with words, 12 numbers and true in it",
    "1234567890123",
]


@pytest.mark.parametrize("value", SCALARS)
def test_every_plain_value_reads_as_the_safe_loader_reads_it(value: str) -> None:
    import yaml

    text = f"key: {value}\nlist:\n  - {value}\n"
    plain = yaml.compose(text, Loader=yaml.SafeLoader)
    with_positions = read_document("f.yaml", text) if value not in ("=", "<<") else None
    scalar = plain.value[0][1]
    if scalar.tag == "tag:yaml.org,2002:null":
        expected: object = None
    elif scalar.tag == "tag:yaml.org,2002:bool":
        expected = value.lower() in {"yes", "true", "on"}
    else:
        expected = value
    if with_positions is None:  # "=" and "<<" have tags of their own, which reading refuses
        with pytest.raises(FileProblems):
            read_document("f.yaml", text)
        return
    assert with_positions.data == {"key": expected, "list": [expected]}


RICH = """\
appraise: 1
study:
  label: "Smith 2019"
  year: 2019
answers:
  "1.1": {answer: Y, note: "fine"}
  "1.2":
    answer: PN
    note: |
      two
      lines
    page: 6
flags: [yes, ~, off, "on"]
outcomes:
  - id: o1
    effect: {kind: RR, value: 0.8}
  - id: o2
"""


def test_a_file_without_aliases_reads_the_same_data_and_positions_as_one_with_them(tmp_path: Path) -> None:
    plain = read_document(write(tmp_path, RICH))
    # A '*' anywhere (here in a comment) sends the file down the builder that tracks aliases.
    (tmp_path / "with_star.yaml").write_text(RICH + "# *\n", encoding="utf-8")
    tracked = read_document(tmp_path / "with_star.yaml")
    assert plain.data == tracked.data
    assert plain.positions == tracked.positions
    assert plain.key_positions == tracked.key_positions
    assert plain.position(("answers", "1.2", "page")) == (12, 11)
    assert plain.position(("outcomes", 1, "id"), key=True) == (17, 5)


def test_positions_asked_for_later_are_those_of_the_text_that_was_read(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nb: 2\n")
    doc = read_document(path)
    path.write_text("\n\n\nb: 2\na: 1\n", encoding="utf-8")  # changed on disk after reading
    assert doc.position(("b",)) == (2, 4)
