"""The Jinja environment every report renders in: loaders, escaping, filters, the sandbox, and errors.

Templates come from the user's template folder first, then the bundled ones. ``StrictUndefined``
turns a template typo into an error; autoescape covers ``*.html.j2`` (Jinja's default list does
not); a user-supplied template renders in a sandbox with plain data. Every piece of text passes
through :func:`appraise.core.text.visible` on output, so control characters never reach a terminal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, TextIO

import jinja2

from appraise.core.palette import CONCERNS, style
from appraise.core.text import visible
from appraise.files import paths
from appraise.reports.formats import paper_size
from appraise.reports.template_limits import (
    RUNTIME_ERRORS,
    BoundedSandbox,
    TemplatesOnlyLoader,
    render_bounded,
    template_line,
)

CONCERN_STYLE = {concern: style(concern) for concern in CONCERNS}
"""The report's look: robvis "cochrane" colours, each paired with a glyph and a word."""


class ReportError(Exception):
    """A template could not be found or rendered; the message says which and where."""


def _autoescape(name: str | None) -> bool:
    """HTML and XML templates are escaped, including ``report.html.j2`` (Jinja's default misses it)."""
    if not name:
        return False
    stem = name[:-3] if name.endswith(".j2") else name
    return stem.endswith((".html", ".htm", ".xml", ".svg"))


def _finalize(value: Any) -> Any:
    # Applied to every {{ … }} before escaping: control characters become visible stand-ins.
    if type(value) is str:
        return visible(value)
    return "" if value is None else value


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def markdown_text(value: Any) -> str:
    """Escape text for Markdown so that a note cannot add headings, links, tables or raw HTML."""
    return visible(str(value or "")).translate(_MD_SPECIAL)


def markdown_quote(value: Any) -> str:
    """Text as a Markdown block quote, every line prefixed, escaped like :func:`markdown_text`."""
    return "\n".join("> " + line if line else ">" for line in markdown_text(value).splitlines())


def markdown_code(value: Any) -> str:
    """Text as an inline code span, fenced with more backticks than it contains."""
    text = " ".join(visible(str(value or "")).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _configure(env: jinja2.Environment) -> jinja2.Environment:
    env.filters["md"] = markdown_text
    env.filters["mdcode"] = markdown_code
    env.filters["mdquote"] = markdown_quote
    env.filters["one_line"] = lambda v: " ".join(visible(str(v or "")).split())
    env.globals["concern_styles"] = CONCERN_STYLE
    # @page size of the printable HTML; not "paper", which in a report is the paper appraised.
    env.globals["paper_size"] = paper_size()
    return env


def _loaders(extra: Path | None = None, *, user: bool = True) -> jinja2.BaseLoader:
    folders = [extra] if extra is not None else []
    folders += [paths.user_templates(), paths.bundled("templates")] if user else [paths.bundled("templates")]
    return TemplatesOnlyLoader([str(f) for f in folders if f.is_dir()])


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (Jinja checks each template's source checksum)."""
    folder = paths.cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def environment(*, sandboxed: bool = False, extra: Path | None = None, user: bool = True) -> jinja2.Environment:
    """The Jinja environment for reports (sandboxed and bounded for user-supplied templates).

    ``user=False`` leaves out the user's template folder (the app's fallback to the bundled report).
    """
    cls: type[jinja2.Environment] = jinja2.Environment
    if sandboxed:
        cls = BoundedSandbox  # only user templates need it
    env = cls(
        loader=_loaders(extra, user=user),
        bytecode_cache=_bytecode_cache(),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return _configure(env)


def load_template(name: str) -> jinja2.Template:
    """A report template by name: the user's copy (rendered in the sandbox) wins over the bundled one."""
    if (paths.user_templates() / name).is_file():
        return environment(sandboxed=True).get_template(name)
    return environment().get_template(name)


def render_template(template: str | Path, context: dict[str, Any], *, json_hint: str, out: TextIO | None = None) -> str:
    """Render a bundled/user template by name, or a user's template file (sandboxed).

    Every Jinja failure becomes a :class:`ReportError` naming the template and line;
    ``json_hint`` is the command that shows the data a template may use. With ``out`` the text is
    written there piece by piece (and "" returned): a summary of 10,000 studies is never whole in memory.
    """
    name = template.name if isinstance(template, Path) else template
    try:
        if isinstance(template, Path):
            compiled = environment(sandboxed=True, extra=template.parent).get_template(template.name)
            name = str(template)
        else:
            compiled = load_template(template)
        if isinstance(compiled.environment, BoundedSandbox):  # a user's template: output bounded
            text = render_bounded(compiled, context)
            if out is None:
                return text
            out.write(text)
            return ""
        if out is None:
            return compiled.render(**context)
        # Jinja yields a small string per expression (140 a study in a summary); written in runs of
        # a few hundred, the output stream's own work (safety checks, encoding) is done per run.
        stream = compiled.stream(**context)
        stream.enable_buffering(256)
        out.writelines(stream)
        return ""
    except jinja2.TemplateSyntaxError as error:
        raise ReportError(f"{error.filename or error.name}:{error.lineno}: template error: {error.message}") from None
    except jinja2.TemplateNotFound as error:
        raise ReportError(f"template not found: {error.name}") from None
    except jinja2.UndefinedError as error:
        raise ReportError(f"{name}: {error.message} (no such field; `{json_hint}` shows every field)") from None
    except jinja2.exceptions.SecurityError as error:
        raise ReportError(f"{name}: refused by the template sandbox: {error}") from None
    except RUNTIME_ERRORS as error:  # the template's own expression failed: {{ 1/0 }}
        where = template_line(error, [name, str(template)])
        raise ReportError(f"{where}: template error: {type(error).__name__}: {error}") from None


PRESENTATION_KEYS = frozenset({"view", "proposed_view", "glyph", "colour", "ink", "word"})
"""Helpers templates draw with (colours, glyphs, ready-made views); the JSON outputs leave them out."""


def public(data: dict[str, Any], *, drop: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The JSON form of report data: the same data without presentation-only helpers (and ``drop``)."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in PRESENTATION_KEYS}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value

    return {k: clean(v) for k, v in data.items() if k not in drop}


def render_data(
    data: dict[str, Any],
    fmt: str,
    templates: dict[str, str],
    *,
    json_hint: str,
    template: Path | None = None,
    context: dict[str, Any] | None = None,
    drop: frozenset[str] = frozenset(),
    bundled: bool = False,
) -> str:
    """The one way report data becomes text: JSON, a bundled template for ``fmt``, or the user's ``template``.

    ``context`` adds what only templates need (figures, status views); JSON never carries it.
    """
    if template is None and fmt == "json":
        return json.dumps(public(data, drop=drop), indent=2, ensure_ascii=False) + "\n"
    if bundled and template is None:  # the user's copy failed: the bundled one, never sandbox-limited
        return environment(user=False).get_template(templates[fmt]).render(**data, **(context or {}))
    return render_template(template or templates[fmt], {**data, **(context or {})}, json_hint=json_hint)
