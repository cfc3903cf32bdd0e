"""A cache of validated checklists, so commands start fast: validation is done once per file version.

Building pydantic's validators for the checklist models costs more than the rest of a command, so
a checklist that validated is stored as JSON and rebuilt with ``model_construct`` (no validators
needed) while the file, appraise and the models are unchanged. Anything odd in the cache means a
miss and a normal, validating load; the cache only ever saves time.
"""

from __future__ import annotations

import hashlib
import json
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from appraise import __version__, model, paths
from appraise.yamlio import atomic_write_text

M = TypeVar("M", bound=BaseModel)

_MODELS = Path(model.__file__)


def _key(path: Path) -> str | None:
    try:
        source, code = path.stat(), _MODELS.stat()
    except OSError:
        return None
    parts = (str(path.resolve()), source.st_mtime_ns, source.st_size, __version__, code.st_mtime_ns, code.st_size)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _file(key: str) -> Path:
    return paths.cache_dir() / "checklists" / f"{key}.json"


def load(path: Path) -> model.Checklist | None:
    """The cached checklist for this file version, or None."""
    key = _key(path)
    if key is None:
        return None
    try:
        data = json.loads(_file(key).read_text(encoding="utf-8"))
        return construct(model.Checklist, data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def store(path: Path, checklist: model.Checklist) -> None:
    """Remember a checklist that validated (failures are ignored: a cache only saves time)."""
    key = _key(path)
    if key is None:
        return
    target = _file(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, json.dumps(checklist.model_dump(mode="json"), ensure_ascii=False))
    except OSError:
        pass


def construct(cls: type[M], data: dict[str, Any]) -> M:
    """Rebuild a model (and the models inside it) from its own dump, without validating."""
    values = {name: _build(field.annotation, data[name]) for name, field in cls.model_fields.items() if name in data}
    return cls.model_construct(**values)


def _build(annotation: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _build(args[0], value)
    if origin in (typing.Union, types.UnionType):
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        if models and isinstance(value, dict):
            return construct(models[0], value)
        lists = [a for a in args if typing.get_origin(a) is list]
        if lists and isinstance(value, list):
            return _build(lists[0], value)
        return value
    if origin is list:
        return [_build(args[0], item) for item in value]
    if origin is dict:
        return {key: _build(args[1], item) for key, item in value.items()}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return construct(annotation, value)
    return value
