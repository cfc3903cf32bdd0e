"""Read YAML safely with positions, and write it so that it reads back exactly.

Reading follows the house rules for every user file (checklists and appraisals alike):

* safe loading only (libyaml's ``CSafeLoader`` when available);
* mapping keys, ids, codes, pages and versions stay strings however they look: ``1.1:`` is the
  id ``"1.1"`` and ``page: 6`` is ``"6"``. Numbers are handed over as their source text and
  pydantic turns them into numbers only where a model asks for one;
* ``true``/``false`` (and YAML 1.1's ``Yes``/``No``/``on``/``off``) stay booleans, so that a
  boolean where a code belongs can be reported with a hint to quote it;
* a duplicate key is an error, never a silent overwrite;
* every value's position is kept, so any later problem can name its file, line and column.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

Loc = tuple[str | int, ...]
"""A path into a YAML document: mapping keys and sequence indexes."""

_BOOL_WORDS = {"yes", "no", "on", "off", "true", "false"}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file, pointing at where it is."""

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"
    """``error`` makes a file invalid; ``warning`` is reported but the file is usable."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{where}: {prefix}{self.message}"


class FileProblems(Exception):
    """Raised when a file cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Document:
    """Plain data read from a YAML file plus the position of every key and value in it."""

    path: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``loc``, or its nearest ancestor.

        With ``key=True`` the position of the mapping key itself is preferred, which is where an
        unknown or misspelt key should be reported.
        """
        loc = tuple(loc)
        if key and loc in self.key_positions:
            return self.key_positions[loc]
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, loc: Loc, message: str, *, key: bool = False, severity: str = "error") -> Problem:
        line, column = self.position(loc, key=key)
        return Problem(self.path, line, column, message, severity)


def read_document(path: Path | str, text: str | None = None) -> Document:
    """Read one YAML file into a :class:`Document`; raise :class:`FileProblems` if it is not YAML."""
    name = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise FileProblems([Problem(name, 0, 0, f"not UTF-8 text ({error.reason})")]) from None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = " ".join(part for part in (error.context, error.problem) if part)
        raise FileProblems(
            [Problem(name, line, column, f"not valid YAML: {what}; check indentation and quoting")]
        ) from None
    except yaml.YAMLError as error:
        raise FileProblems([Problem(name, 0, 0, f"not valid YAML: {error}")]) from None
    document = Document(name, None)
    if node is None:
        return document
    problems: list[Problem] = []
    document.data = _construct(node, (), document, problems)
    if problems:
        raise FileProblems(problems)
    return document


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


def _construct(node: yaml.Node, loc: Loc, doc: Document, problems: list[Problem]) -> Any:
    doc.positions[loc] = _mark(node)
    if node.tag not in _PLAIN_TAGS:
        # Composing never runs a tag's constructor; refusing odd tags makes that visible, too.
        problems.append(_at(doc, node, f"the tag {node.tag!r} is not allowed; write plain values"))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(_at(doc, key_node, "merge keys (<<) are not supported; write the keys out"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(_at(doc, key_node, "a key must be a plain name, not a list or mapping"))
                continue
            key = str(key_node.value)
            if key in result:
                first_line = doc.key_positions[(*loc, key)][0]
                problems.append(
                    _at(doc, key_node, f"duplicate key {key!r} (first given on line {first_line}); keep one of them")
                )
                continue
            doc.key_positions[(*loc, key)] = _mark(key_node)
            result[key] = _construct(value_node, (*loc, key), doc, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*loc, i), doc, problems) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    """Keep strings as strings; only null and booleans get a Python type of their own."""
    value = str(node.value)
    tag = node.tag
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() in {"yes", "true", "on"}
    return value


def _at(doc: Document, node: yaml.Node, message: str) -> Problem:
    line, column = _mark(node)
    return Problem(doc.path, line, column, message)


# --- writing -----------------------------------------------------------------------------------


class _Dump(_Dumper):  # type: ignore[misc]
    """Block style, insertion order, and multi-line text as a readable ``|`` block."""


_YAML11_BOOLS = {"y", "n", "yes", "no", "on", "off", "true", "false"}


def _represent_str(dumper: Any, value: str) -> Any:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if value.lower() in _YAML11_BOOLS:
        # PyYAML reads a bare Y as text, but other YAML 1.1 readers (R's yaml, for one) read
        # y/n as booleans: quote them so that every reader sees the code.
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dump.add_representer(str, _represent_str)


def dump(data: Any) -> str:
    """YAML text for plain data; strings that would read back as another type are quoted."""
    text: str = yaml.dump(data, Dumper=_Dump, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return text


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old file or the new, never half.

    The recipe: a temporary file in the same folder (so the rename cannot cross file systems),
    write, flush, fsync, ``os.replace``; the temporary file is removed if anything fails.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            # mkstemp creates 0600 files; keep the permissions the user gave the original.
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _read_umask() -> int:
    # os.umask can only be read by setting it; do it once at import, before any saving thread runs.
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def _fsync_directory(folder: Path) -> None:
    """Make the rename itself durable on POSIX; harmless to skip where directories can't be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = [
    "Document",
    "FileProblems",
    "Problem",
    "atomic_write_text",
    "dump",
    "read_document",
]
