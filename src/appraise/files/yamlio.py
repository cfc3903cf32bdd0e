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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# Re-exported: these lived here before the split, and callers outside src may import them from here.
from appraise.files.atomic import atomic_write_text
from appraise.files.problems import FileProblems, Problem, bool_hint, suggestion

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

Loc = tuple[str | int, ...]
"""A path into a YAML document: mapping keys and sequence indexes."""

_BOOL_WORDS = {"yes", "no", "on", "off", "true", "false"}


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


__all__ = [
    "Document",
    "FileProblems",
    "Problem",
    "atomic_write_text",
    "bool_hint",
    "dump",
    "read_document",
    "suggestion",
]
