"""Turn pydantic validation errors into problems that point at a file, line and column.

Each error's ``loc`` is walked through the YAML document to find where it is, and through the
models to know which keys were allowed there, so an unknown key gets a "did you mean …?".
"""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from appraise.core.hints import bool_hint, suggestion
from appraise.files.yamlio import Document, FileProblems, Loc, Problem

M = TypeVar("M", bound=BaseModel)


def validate(doc: Document, model: type[M]) -> M:
    """Build ``model`` from the document's data or raise every problem at once, with positions."""
    if not isinstance(doc.data, dict):
        what = "empty" if doc.data is None else f"a {type(doc.data).__name__}"
        raise FileProblems([doc.problem((), f"expected a mapping of keys (like 'id: …'), but the file is {what}")])
    try:
        return model.model_validate(doc.data)
    except ValidationError as error:
        raise FileProblems(problems_from(doc, error, model)) from None


def problems_from(doc: Document, error: ValidationError, model: type[BaseModel]) -> list[Problem]:
    """One problem per pydantic error, deduplicated (unions can repeat themselves)."""
    seen: set[tuple[Loc, str]] = set()
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        loc = _data_loc(item["loc"], doc.data)
        message = _message(item, loc, doc, model)
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        where = describe(loc[:-1] if item["type"] in {"missing", "extra_forbidden"} else loc, doc.data)
        problems.append(
            doc.problem(loc, f"{where}: {message}" if where else message, key=item["type"] == "extra_forbidden")
        )
    return problems


def _data_loc(loc: tuple[Any, ...], data: Any) -> Loc:
    """pydantic adds validator names to ``loc`` for unions and wrapped types; keep only real keys."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if _has(node, part):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not _validator_step(part):
            # A missing field, or an unknown key: the last real step plus that name.
            path.append(part)
            break
    return tuple(path)


def _message(item: Any, loc: Loc, doc: Document, model: type[BaseModel]) -> str:
    kind = item["type"]
    given = item.get("input")
    if kind == "missing":
        return f"'{loc[-1]}' is required" if loc else "a required key is missing"
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        tail = suggestion(str(loc[-1]), allowed)
        known = f" (allowed here: {', '.join(sorted(allowed))})" if allowed and not tail else ""
        return f"unknown key '{loc[-1]}'{tail}{known}"
    text = str(item["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        text = text.removeprefix(prefix)
    if kind == "string_type" and isinstance(given, bool):
        return f"expected text, not {str(given).lower()}{bool_hint(given)}"
    if kind in {"int_parsing", "int_type"}:
        return f"expected a whole number, not {given!r}"
    if kind == "literal_error" and isinstance(given, str):
        expected = item.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
        return f"{given!r} is not allowed; expected {expected}{suggestion(given, choices)}"
    if kind == "string_pattern_mismatch":
        return f"{given!r} is not allowed here: use lower-case letters, digits, '-', '_' or '.'"
    if kind == "too_short" and given in ("", None):
        return "must not be empty"
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys the model allows at ``loc`` (aliases, as written in files)."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _step(annotation: Any, part: str | int) -> Any:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` down to the type that matters."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else args[0]
        else:
            return annotation


def describe(loc: Loc, data: Any) -> str:
    """Where ``loc`` is, in the file's own words: ``section B › question B4 › options``."""
    parts: list[str] = []
    node = data
    for i, part in enumerate(loc):
        child = node[part] if _has(node, part) else None
        if isinstance(part, int):
            label = _named(child)
            parent = loc[i - 1] if i else ""
            kind = {
                "sections": "section",
                "questions": "question",
                "options": "option",
                "judgements": "judgement",
                "outcomes": "outcome",
            }.get(str(parent))
            if kind and label:
                parts[-1] = f"{kind} {label}"
            else:
                parts[-1] = f"{parts[-1]}[{part + 1}]" if parts else f"item {part + 1}"
        else:
            parts.append(str(part))
        node = child
    return " › ".join(parts)


def _validator_step(part: str) -> bool:
    return part in {"function-before", "function-after", "function-wrap"} or "[" in part


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _named(node: Any) -> str:
    if isinstance(node, dict):
        for key in ("id", "code"):
            if isinstance(node.get(key), str):
                return str(node[key])
    return ""
