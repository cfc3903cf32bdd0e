"""Every output format, registered in one place: its name, the suffixes that choose it, and how it is written.

A format is rendered with a Jinja template per kind of output (``report``, ``summary``, ``compare``;
the template ``{kind}.{name}.j2`` unless given), or, for binary formats (Word, Excel, images), by a
writer function named as ``"module:function"`` and imported only when used, so that ``appraise
--help`` never loads python-docx or cairosvg. Adding a template-rendered format is a template plus
one :func:`register` line.

The CLI's ``-f`` choices and suffix guessing, and the terminal app's export list, all read this table.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("report", "summary", "compare", "calibrate")
"""The kinds of output a format can be offered for (one per command that writes documents)."""


@dataclass(frozen=True)
class OutputFormat:
    """One output format: what it is called, which suffixes mean it, and per kind how it is made."""

    name: str
    label: str
    suffixes: tuple[str, ...]
    kinds: tuple[str, ...]
    templates: dict[str, str] = field(default_factory=dict)
    """Kind → template name, for template-rendered kinds (default ``{kind}.{name}.j2``)."""
    writers: dict[str, str] = field(default_factory=dict)
    """Kind → ``"module:function"`` for kinds written by code; such a function returns ``str`` or ``bytes``."""
    data: bool = False
    """Written by the command itself from what it read (the JSON contract, the CSV tables)."""
    binary: bool = False
    """Written as bytes: needs ``-o`` (never sent to a terminal)."""
    tui: bool = False
    """Offered in the terminal app's export dialog (for the kinds it exports)."""

    def template(self, kind: str) -> str | None:
        """The template that renders this kind, or None when a writer (or nothing) makes it."""
        if kind not in self.kinds or kind in self.writers or self.data:
            return None
        return self.templates.get(kind, f"{kind}.{self.name}.j2")

    def writer(self, kind: str) -> Callable[..., str | bytes] | None:
        """The function that writes this kind, imported now; None for template-rendered kinds."""
        target = self.writers.get(kind)
        if target is None:
            return None
        module, _, function = target.partition(":")
        found: Callable[..., str | bytes] = getattr(importlib.import_module(module), function)
        return found


FORMATS: dict[str, OutputFormat] = {}
"""Every format by name, in the order offered (the first a kind offers is its default)."""


def register(fmt: OutputFormat) -> OutputFormat:
    """Add (or replace) a format; the registration order is the order ``-f`` and the app offer them."""
    FORMATS[fmt.name] = fmt
    return fmt


register(OutputFormat("md", "Markdown", (".md", ".markdown"), KINDS, tui=True))
register(OutputFormat("html", "HTML (one file, printable)", (".html", ".htm"), KINDS, tui=True))
register(
    OutputFormat(
        "json",
        "JSON (data)",
        (".json",),
        KINDS,
        data=True,
        tui=True,
    )
)
register(
    OutputFormat(
        "docx",
        "Word (.docx)",
        (".docx",),
        ("report", "summary"),
        writers={"report": "appraise.reports.docx:report_docx", "summary": "appraise.reports.docx:summary_docx"},
        binary=True,
        tui=True,
    )
)
# The summary's tables and figures (robvis is chosen with -f only: its files are .csv too).
register(OutputFormat("csv", "CSV (one row per answer)", (".csv",), ("summary",), data=True))
register(OutputFormat("robvis", "robvis CSV (one file per checklist)", (), ("summary",), data=True))
register(
    OutputFormat(
        "xlsx",
        "RoB 2 Excel Results sheet",
        (".xlsx",),
        ("summary",),
        writers={"summary": "appraise.reports.xlsx:results_workbook"},
        binary=True,
    )
)
register(
    OutputFormat("svg", "SVG figure", (".svg",), ("summary",), writers={"summary": "appraise.reports.svg:figure_svg"})
)
register(
    OutputFormat(
        "png",
        "PNG figure (300 dpi)",
        (".png",),
        ("summary",),
        writers={"summary": "appraise.reports.svg:figure_png"},
        binary=True,
    )
)
register(
    OutputFormat(
        "pdf",
        "PDF figure",
        (".pdf",),
        ("summary",),
        writers={"summary": "appraise.reports.svg:figure_pdf"},
        binary=True,
    )
)


class UnsupportedFormat(ValueError):
    """An output suffix (or format) that this kind of output is not offered in; the message lists what is."""


def offered(kind: str) -> list[str]:
    """The format names offered for a kind of output, default first."""
    return [name for name, fmt in FORMATS.items() if kind in fmt.kinds]


def suffixes(kind: str) -> list[str]:
    """Every output suffix that chooses a format for this kind."""
    return [suffix for name in offered(kind) for suffix in FORMATS[name].suffixes]


def for_output(kind: str, fmt: str | None, output: Path | None) -> OutputFormat:
    """The format asked for with ``-f``, else the one the output's suffix names, else the kind's default.

    Raises :class:`UnsupportedFormat` for an output suffix the kind does not offer (``report -o
    x.odt``), so that nobody gets a Markdown file named ``.odt``, and for a binary format without
    an output file.
    """
    names = offered(kind)
    if fmt is not None:
        if fmt not in names:
            raise UnsupportedFormat(f"{kind} is not offered as {fmt}; offered: {', '.join(names)}")
        chosen = FORMATS[fmt]
    elif output is None:
        chosen = FORMATS[names[0]]
    else:
        suffix = output.suffix.lower()
        match = next((FORMATS[n] for n in names if suffix in FORMATS[n].suffixes), None)
        if match is None:
            shown = f"'{output.suffix}'" if output.suffix else "no suffix"
            raise UnsupportedFormat(
                f"{output}: {shown} is not an output format of {kind}; "
                f"use one of {', '.join(suffixes(kind))} (or choose with -f: {', '.join(names)})"
            )
        chosen = match
    if chosen.binary and output is None:
        raise UnsupportedFormat(f"{chosen.label} is a binary file: give -o FILE{chosen.suffixes[0]}")
    return chosen


def templates(kind: str) -> dict[str, str]:
    """Format name → template, for the formats a kind renders with Jinja."""
    found = {name: FORMATS[name].template(kind) for name in offered(kind)}
    return {name: template for name, template in found.items() if template is not None}


def tui_formats(kind: str) -> dict[str, str]:
    """Format name → label for the terminal app's export dialog."""
    return {name: FORMATS[name].label for name in offered(kind) if FORMATS[name].tui}


def write_output(path: Path, content: str | bytes) -> None:
    """Replace ``path`` with text or bytes whole (temporary file in the same folder, then a rename)."""
    if isinstance(content, str):
        from appraise.files.yamlio import atomic_write_text

        atomic_write_text(path, content)
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT", "PR"})
"""Where Letter paper is the norm (glibc's LC_PAPER data); everywhere else prints on A4."""


def paper_size() -> str:
    """``A4`` or ``letter`` for printed HTML: ``APPRAISE_PAPER`` if set, else the locale's territory."""
    chosen = os.environ.get("APPRAISE_PAPER", "").strip().lower()
    if chosen in {"a4", "letter"}:
        return "A4" if chosen == "a4" else "letter"
    for variable in ("LC_ALL", "LC_PAPER", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            territory = value.split(".")[0].partition("_")[2].upper()
            return "letter" if territory in LETTER_TERRITORIES else "A4"
    return "A4"
