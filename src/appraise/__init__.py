"""appraise: a terminal workbench for critically appraising research on mental-health peer support.

The Python API (a stable contract)::

    import appraise
    checklist = appraise.load_checklist("peer-support")      # bundled id, user id, or a path
    appraise.judge(checklist, {"A2": "rct", "A3": "full"})   # {"A": "proceed", "B": None, ...}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
"""A literal, not read from the installed metadata: ``importlib.metadata`` costs a command 8-10 ms."""

if TYPE_CHECKING:
    from appraise.core.engine import judge
    from appraise.files.checklists import load_checklist

__all__ = ["__version__", "judge", "load_checklist"]

_API = {"judge": "appraise.core.engine", "load_checklist": "appraise.files.checklists"}
"""The API's functions and their homes, imported on first use: every ``appraise`` command (and the
app) imports this package first, and most need neither the engine nor the checklist files yet."""


def __getattr__(name: str) -> Any:
    """``appraise.judge`` and ``appraise.load_checklist``, loaded when first asked for (PEP 562)."""
    if name in _API:
        import importlib

        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value  # asked once: later lookups are plain attribute reads
        return value
    raise AttributeError(f"module 'appraise' has no attribute {name!r}")
