"""Bounds for user templates: output size, string and list repetition, and which files ``include`` may read.

The sandbox stops a template from reaching Python; these stop it from exhausting memory
(``{{ 'A' * 10**10 }}`` took the app to 9.8 GB) or reading files that are not templates
(``{% include '.env' %}``) in the folders it may load from.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_OUTPUT = 20 * 1024 * 1024
"""Characters a template may produce (a real report is well under 1 MB)."""
MAX_ITEMS = 1_000_000
"""Characters or items one repetition (``*``) may produce."""
TEMPLATE_SUFFIX = ".j2"


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with ``*`` and ``**`` checked before they build something huge."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: jinja2.runtime.Context, operator_: str, left: Any, right: Any) -> Any:
        """Refuse a repetition or power whose result would be enormous."""
        if operator_ == "*":
            for sequence, count in ((left, right), (right, left)):
                sized = isinstance(sequence, str | list | tuple) and isinstance(count, int)
                if sized and len(sequence) * max(count, 0) > MAX_ITEMS:
                    raise SecurityError(f"repetition would make more than {MAX_ITEMS:,} items")
            return operator.mul(left, right)
        if operator_ == "**":
            if isinstance(left, int) and isinstance(right, int) and abs(right) > 64 and abs(left) > 1:
                raise SecurityError("power too large")
            return operator.pow(left, right)
        return super().call_binop(context, operator_, left, right)


class TemplatesOnlyLoader(jinja2.FileSystemLoader):
    """A folder loader that serves only template files (``*.j2``), so ``include`` cannot read other files."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """The template's source, or TemplateNotFound for anything that is not a ``.j2`` file."""
        if not template.endswith(TEMPLATE_SUFFIX):
            raise jinja2.TemplateNotFound(f"{template} (only {TEMPLATE_SUFFIX} templates can be included)")
        return super().get_source(environment, template)


def render_bounded(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render, stopping with SecurityError once the output passes :data:`MAX_OUTPUT`."""
    parts: list[str] = []
    size = 0
    for chunk in template.generate(**context):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise SecurityError(f"the template's output passed {MAX_OUTPUT // 2**20} MB")
        parts.append(chunk)
    return "".join(parts)


def template_line(error: BaseException, names: Iterable[str]) -> str:
    """``name:line`` of the template frame where a runtime error happened (Jinja rewrites tracebacks)."""
    import traceback  # here, not at import: only a template's error needs it (~0.5 ms of every report)

    wanted = tuple(names)
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(TEMPLATE_SUFFIX) or frame.filename in wanted:
            return f"{frame.filename}:{frame.lineno}"
    return wanted[0] if wanted else "template"


RUNTIME_ERRORS = (ArithmeticError, TypeError, ValueError, LookupError, AttributeError, RecursionError, MemoryError)
"""What a template's own expressions can raise at run time ({{ 1/0 }}, {{ 'a' + 1 }}, {{ x[99] }})."""
