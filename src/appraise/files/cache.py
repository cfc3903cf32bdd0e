"""A cache of validated data files, so commands start fast: validation is done once per file version.

Building pydantic's validators for the checklist models costs more than the rest of a command, so
a checklist (or the glossary) that validated is stored as JSON and rebuilt with ``model_construct``
(no validators needed) while the file, appraise and the models are unchanged. Anything odd in the
cache means a miss and a normal, validating load; the cache only ever saves time.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import types
import typing
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from appraise import __version__
from appraise.files import paths
from appraise.files.atomic import atomic_write_text

M = TypeVar("M", bound=BaseModel)


def _key(path: Path, cls: type[BaseModel]) -> str | None:
    """Everything that must be unchanged for a cached file to be valid: the file, appraise, the models."""
    try:
        source, code = path.stat(), Path(inspect.getfile(cls)).stat()
    except (OSError, TypeError):
        return None
    return repr(
        (
            str(path.resolve()),
            source.st_mtime_ns,
            source.st_size,
            __version__,
            cls.__qualname__,
            code.st_mtime_ns,
            code.st_size,
        )
    )


def _file(path: Path, key: str) -> Path:
    # The short checksum only names the file; the full key stored inside decides a hit.
    return paths.cache_dir() / "validated" / f"{path.stem}-{zlib.crc32(key.encode()):08x}.json"


def load(path: Path, cls: type[M]) -> M | None:
    """The cached, validated ``cls`` for this version of the file, or None."""
    key = _key(path, cls)
    if key is None:
        return None
    try:
        cached = json.loads(_file(path, key).read_text(encoding="utf-8"))
        if cached.get("key") != key:
            return None
        return construct(cls, cached["data"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def store(path: Path, value: BaseModel) -> None:
    """Remember data that validated (failures are ignored: a cache only saves time)."""
    key = _key(path, type(value))
    if key is None:
        return
    target = _file(path, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        data = {"key": key, "data": value.model_dump(mode="json")}
        atomic_write_text(target, json.dumps(data, ensure_ascii=False))
    except OSError:
        pass


def source_key(obj: Any) -> tuple[str, int, int]:
    """appraise's version and the version of the file that defines ``obj``: code a cached value depends on."""
    code = Path(inspect.getfile(obj)).stat()
    return (__version__, code.st_mtime_ns, code.st_size)


J = TypeVar("J")


def remember(kind: str, key: str, compute: Callable[[], J], valid: Callable[[Any], bool]) -> J:
    """``compute()``, stored as JSON under ``key``, which must name everything the value depends on.

    A stored value is used only if its full key matches and it passes ``valid``; anything else
    (a missing, corrupt or foreign file) means computing it again and storing it afresh.
    """
    target = paths.cache_dir() / kind / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.json"
    try:
        cached = json.loads(target.read_text(encoding="utf-8"))
        if isinstance(cached, dict) and cached.get("key") == key and valid(cached.get("value")):
            return cached["value"]  # type: ignore[no-any-return]
    except (OSError, ValueError):
        pass
    value = compute()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(target, json.dumps({"key": key, "value": value}, ensure_ascii=False))
    except OSError:
        pass
    return value


Builder = Callable[[Any], Any]


def construct(cls: type[M], data: dict[str, Any]) -> M:
    """Rebuild a model (and the models inside it) from its own dump, without validating."""
    return _model_builder(cls)(data)  # type: ignore[no-any-return]


_BUILDERS: dict[type[BaseModel], Builder] = {}


def _model_builder(cls: type[BaseModel]) -> Builder:
    """A function that rebuilds ``cls`` from its dump; worked out once per model class."""
    if cls in _BUILDERS:
        return _BUILDERS[cls]
    fields: list[tuple[str, Builder]] = []

    def build(data: dict[str, Any]) -> Any:
        return cls.model_construct(**{name: b(data[name]) for name, b in fields if name in data})

    _BUILDERS[cls] = build  # registered before its fields: a model may contain itself (Condition)
    fields.extend((name, _builder(field.annotation)) for name, field in cls.model_fields.items())
    return build


def _keep(value: Any) -> Any:
    return value


def _builder(annotation: Any) -> Builder:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _builder(args[0])
    if origin in (typing.Union, types.UnionType):
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        lists = [a for a in args if typing.get_origin(a) is list]
        if not models and not lists:
            return _keep
        as_model = _model_builder(models[0]) if models else _keep
        as_list = _builder(lists[0]) if lists else _keep
        return lambda v: as_model(v) if isinstance(v, dict) else as_list(v) if isinstance(v, list) else v
    if origin is list:
        item = _builder(args[0])
        return _keep if item is _keep else (lambda v: None if v is None else [item(x) for x in v])
    if origin is dict:
        item = _builder(args[1])
        return _keep if item is _keep else (lambda v: None if v is None else {k: item(x) for k, x in v.items()})
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        build = _model_builder(annotation)
        return lambda v: None if v is None else build(v)
    return _keep
