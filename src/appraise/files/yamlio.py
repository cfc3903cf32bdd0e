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

import codecs
import re
from pathlib import Path
from typing import Any

import yaml

# Re-exported: these lived here before the split, and callers outside src may import them from here.
from appraise.files.atomic import atomic_write_text
from appraise.files.problems import FileProblems, Problem

_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_SCALAR = yaml.ScalarNode
_KNOWN: dict[str, str] = {}
"""Tags of short plain scalars as the safe loader resolves them (shared: the answers never change)."""
_LONGEST_SPECIAL = 5
"""No plain scalar longer than this resolves to null, a boolean, a merge key or ``=`` (``false``, ``False``)."""


class _Loader(_SafeLoader):  # type: ignore[misc]
    """The safe loader, with each plain scalar's tag found once per distinct short value.

    libyaml parses in C but asks Python for the tag of every scalar, trying a list of regular
    expressions each time: a third of reading a file. What reading does with a tag only tells
    null, booleans, merge keys and ``=`` apart from the rest (numbers and dates stay text), and
    those are all short: a short value's tag is the safe loader's own answer, remembered; a
    longer one is text, which reading treats exactly as it treats a number or a date.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is _SCALAR:
            if implicit[0] and len(value) <= _LONGEST_SPECIAL:
                tag = _KNOWN.get(value)
                if tag is None:
                    tag = super().resolve(kind, value, implicit)
                    if len(_KNOWN) < 50_000:
                        _KNOWN[value] = tag
                return tag
            return _STR
        # Mappings and sequences: their default tags (the safe loader has no path resolvers).
        return _MAP if kind is yaml.MappingNode else _SEQ

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered for the safe loader: nothing to track while descending."""

    def ascend_resolver(self) -> None:
        """See :meth:`descend_resolver`."""


Loc = tuple[str | int, ...]
"""A path into a YAML document: mapping keys and sequence indexes."""

_BOOL_WORDS = {"yes", "no", "on", "off", "true", "false"}


class Document:
    """Plain data read from a YAML file plus the position of every key and value in it.

    A file read without a problem has its positions worked out only when something asks for one
    (a warning or an error to report): from the same text, so they always match the data.
    """

    __slots__ = ("_key_positions", "_positions", "_source", "data", "path")

    def __init__(
        self,
        path: str,
        data: Any,
        positions: dict[Loc, tuple[int, int]] | None = None,
        key_positions: dict[Loc, tuple[int, int]] | None = None,
    ) -> None:
        self.path = path
        self.data = data
        self._positions: dict[Loc, tuple[int, int]] | None = {} if positions is None else positions
        self._key_positions: dict[Loc, tuple[int, int]] | None = {} if key_positions is None else key_positions
        self._source: str | None = None

    @property
    def positions(self) -> dict[Loc, tuple[int, int]]:
        """Line and column (1-based) of every value, by its path."""
        if self._positions is None:
            self._locate()
        assert self._positions is not None
        return self._positions

    @property
    def key_positions(self) -> dict[Loc, tuple[int, int]]:
        """Line and column (1-based) of every mapping key, by the path of its value."""
        if self._key_positions is None:
            self._locate()
        assert self._key_positions is not None
        return self._key_positions

    def _locate(self) -> None:
        """Compose the text again and record the positions (it read without a problem the first time)."""
        self._positions, self._key_positions = {}, {}
        if self._source is not None:
            node = yaml.compose(self._source, Loader=_Loader)
            if node is not None:
                _Builder(self, []).build(node, (), 0)
            self._source = None

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


MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted; real files use under a dozen levels."""
MAX_EXPANDED = 10_000
"""Most values that aliases may add by repetition: a "billion laughs" file stops here, in milliseconds."""
MAX_BYTES = 32 * 1024 * 1024
"""Largest file read; far above any checklist or appraisal (a 1 MB note is fine)."""

# Characters YAML does not allow in a file (YAML 1.1/1.2 "printable" set, inverted).
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def read_document(path: Path | str, text: str | None = None) -> Document:
    """Read one YAML file into a :class:`Document`; raise :class:`FileProblems` if it is not YAML."""
    name = str(path)
    if text is None:
        text = read_text(path)
    else:
        text = text.removeprefix("\ufeff")
        _check_printable(name, text)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        what = " ".join(part for part in (error.context, error.problem) if part)
        raise FileProblems(
            [Problem(name, line, column, f"not valid YAML: {what}; check indentation and quoting")]
        ) from None
    except yaml.reader.ReaderError as error:
        line, column = _line_column(text, error.position)
        raise FileProblems([Problem(name, line, column, f"not valid YAML: {error.reason}")]) from None
    except yaml.YAMLError as error:
        raise FileProblems([Problem(name, 1, 1, f"not valid YAML: {error}")]) from None
    except RecursionError:  # libyaml stops at 1000 levels itself; this is a last line of defence
        raise FileProblems([Problem(name, 1, 1, f"nested too deeply (more than {MAX_DEPTH} levels)")]) from None
    document = Document(name, None)
    if node is None:
        return document
    if "*" not in text:  # no alias, so no value repeats: the plain data first, positions only when asked
        try:
            document.data = _plain(node, 0)
        except _NotPlain:
            pass  # something to report: the full build below finds it, with its position
        else:
            document._positions = document._key_positions = None
            document._source = text
            return document
    problems: list[Problem] = []
    document.data = _Builder(document, problems).build(node, (), 0)
    if problems:
        raise FileProblems(problems)
    return document


def read_text(path: Path | str) -> str:
    """A file's text as UTF-8, or a problem that names the line and column of the first bad byte."""
    name = str(path)
    with open(path, "rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise FileProblems(
            [Problem(name, 1, 1, f"the file is over {MAX_BYTES // 2**20} MB; this is not a file appraise wrote")]
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or raw.startswith(
        (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    ):
        raise FileProblems([Problem(name, 1, 1, "the file is UTF-16/UTF-32 text; save it as UTF-8")])
    raw = raw.removeprefix(codecs.BOM_UTF8)  # Notepad's byte-order mark is harmless: skip it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = len(raw[raw.rfind(b"\n", 0, error.start) + 1 : error.start].decode("utf-8", "replace")) + 1
        byte = raw[error.start]
        raise FileProblems(
            [
                Problem(
                    name,
                    line,
                    column,
                    f"not UTF-8 text: byte 0x{byte:02x} cannot start a character here; save the file as UTF-8",
                )
            ]
        ) from None
    _check_printable(name, text)
    return text


def _check_printable(name: str, text: str) -> None:
    bad = _NOT_PRINTABLE.search(text)
    if bad is None:
        return
    line, column = _line_column(text, bad.start())
    code = ord(bad.group())
    raise FileProblems(
        [
            Problem(
                name,
                line,
                column,
                f"a control character (U+{code:04X}) that YAML does not allow; delete it "
                "(it is often left by copying from a PDF or a terminal)",
            )
        ]
    )


def _line_column(text: str, index: int) -> tuple[int, int]:
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


class _LimitReached(Exception):
    """Stop building at once: the file is hostile or broken beyond any use (the problem is recorded)."""


class _Builder:
    """Turns composed nodes into plain data with positions, within bounds of depth and alias expansion.

    Composing shares one node for an anchor and its aliases; building visits it once per use, so
    expansion is counted here (a node seen before is a repetition) and a node that contains itself
    is caught before it recurses for ever.
    """

    def __init__(self, doc: Document, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems
        self.seen: set[int] = set()
        self.open: set[int] = set()
        self.repeated = 0

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        try:
            return self._construct(node, loc, depth)
        except _LimitReached:
            return None

    def _stop(self, node: yaml.Node, message: str) -> _LimitReached:
        self.problems.append(_at(self.doc, node, message))
        return _LimitReached()

    def _construct(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        doc = self.doc
        doc.positions[loc] = _mark(node)
        key = id(node)
        if key in self.open:
            raise self._stop(
                node, "an alias refers to the value that contains it, which would never end; write the value out"
            )
        if key in self.seen:
            self.repeated += 1
            if self.repeated > MAX_EXPANDED:
                raise self._stop(
                    node, f"aliases here repeat more than {MAX_EXPANDED:,} values; write the values out instead"
                )
        else:
            self.seen.add(key)
        if depth >= MAX_DEPTH:
            raise self._stop(node, f"nested more than {MAX_DEPTH} levels deep; appraise files never need this many")
        if node.tag not in _PLAIN_TAGS:
            # Composing never runs a tag's constructor; refusing odd tags makes that visible, too.
            self.problems.append(_at(doc, node, f"the tag {node.tag!r} is not allowed; write plain values"))
            return None
        if isinstance(node, yaml.MappingNode):
            self.open.add(key)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(_at(doc, key_node, "merge keys (<<) are not supported; write the keys out"))
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(_at(doc, key_node, "a key must be a plain name, not a list or mapping"))
                    continue
                name = str(key_node.value)
                if name in result:
                    first_line = doc.key_positions[(*loc, name)][0]
                    self.problems.append(
                        _at(
                            doc,
                            key_node,
                            f"duplicate key {name!r} (first given on line {first_line}); keep one of them",
                        )
                    )
                    continue
                child = (*loc, name)
                mark = key_node.start_mark
                doc.key_positions[child] = (mark.line + 1, mark.column + 1)
                if (  # the common case inline, as in _child: a plain scalar seen for the first time
                    type(value_node) is _SCALAR
                    and depth + 1 < MAX_DEPTH
                    and value_node.tag in _PLAIN_TAGS
                    and id(value_node) not in self.seen
                ):
                    mark = value_node.start_mark
                    doc.positions[child] = (mark.line + 1, mark.column + 1)
                    self.seen.add(id(value_node))
                    result[name] = _scalar(value_node)
                else:
                    result[name] = self._construct(value_node, child, depth + 1)
            self.open.discard(key)
            return result
        if isinstance(node, yaml.SequenceNode):
            self.open.add(key)
            items = [self._child(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
            self.open.discard(key)
            return items
        return _scalar(node)

    def _child(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        """:meth:`_construct`, with the common case inline: a plain scalar seen for the first time."""
        if type(node) is _SCALAR and depth < MAX_DEPTH and node.tag in _PLAIN_TAGS and id(node) not in self.seen:
            mark = node.start_mark
            self.doc.positions[loc] = (mark.line + 1, mark.column + 1)
            self.seen.add(id(node))
            return _scalar(node)
        return self._construct(node, loc, depth)


class _NotPlain(Exception):
    """The fast build met something :class:`_Builder` reports (a tag, a merge key, a duplicate, depth)."""


def _plain(node: yaml.Node, depth: int) -> Any:
    """The data :class:`_Builder` builds from a document without aliases, with no positions kept.

    Raises :class:`_NotPlain` at anything the builder would report, so that it can report it.
    """
    if depth >= MAX_DEPTH or node.tag not in _PLAIN_TAGS:
        raise _NotPlain
    kind = type(node)
    if kind is _SCALAR:
        return _scalar(node)
    if kind is yaml.MappingNode:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not _SCALAR or key_node.tag not in _PLAIN_TAGS:
                raise _NotPlain  # a merge key (its own tag), or a list or mapping as a key
            name = str(key_node.value)
            if name in result:
                raise _NotPlain
            if type(value_node) is _SCALAR and value_node.tag in _PLAIN_TAGS and depth + 1 < MAX_DEPTH:
                result[name] = _scalar(value_node)
            else:
                result[name] = _plain(value_node, depth + 1)
        return result
    return [_plain(item, depth + 1) for item in node.value]


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

    def ignore_aliases(self, data: Any) -> bool:
        # A value that occurs twice (one list in two history entries) is written out twice, never
        # as an &anchor and *alias: files stay plain to read, and each part dumps the same alone.
        return True


YAML11_BOOLS = {"y", "n", "yes", "no", "on", "off", "true", "false"}


def _represent_str(dumper: Any, value: str) -> Any:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if value.lower() in YAML11_BOOLS:
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
    "dump",
    "read_document",
]
