"""The ``appraise`` command. Commands that do not open the terminal app never import Textual.

Exit status: 0 ok; 1 a file that exists but is invalid (one line per problem, no traceback);
2 usage errors, including a file that does not exist.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from appraise import __version__

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


class Invalid(click.ClickException):
    """A file exists but is not valid: exit status 1, problems one per line."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


def _fail(problems: list[Any]) -> NoReturn:
    raise Invalid("\n".join(str(p) for p in problems))


_SUFFIX_FORMATS = {"md": "md", "markdown": "md", "html": "html", "htm": "html", "json": "json", "csv": "csv"}

F = TypeVar("F", bound=Callable[..., Any])


def output_options(formats: list[str], help_format: str = "", help_output: str = "") -> Callable[[F], F]:
    """``-f/--format`` (one of ``formats``) and ``-o/--output``, shared by every command that writes a report."""

    def decorate(command: F) -> F:
        command = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help=help_output or "Write here instead of to standard output.",
        )(command)
        return click.option(
            "-f",
            "--format",
            "fmt",
            type=click.Choice(formats),
            help=help_format or f"{', '.join(formats)} (default: from the -o suffix, else {formats[0]}).",
        )(command)

    return decorate


def chosen_format(fmt: str | None, output: Path | None, formats: list[str]) -> str:
    """The format asked for, else the one the output's suffix names, else the first."""
    if fmt is not None:
        return fmt
    guessed = _SUFFIX_FORMATS.get(output.suffix.lower().lstrip(".")) if output is not None else None
    return guessed if guessed in formats else formats[0]


checklist_option = click.option(
    "-c",
    "--checklist",
    "checklist_ref",
    default="peer-support",
    show_default=True,
    help="Checklist id or path to a checklist file.",
)
"""``-c/--checklist``, for every command that starts appraisals."""


def emit(text: str, output: Path | None) -> None:
    """Print the text, or write it atomically to ``output`` and say so on stderr."""
    from appraise.files.yamlio import atomic_write_text

    if output is None:
        click.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(output, text)
    click.echo(f"wrote {output}", err=True)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="appraise")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Critically appraise research on mental-health peer support.

    With no command, opens the start screen: new appraisal, recent appraisals, glossary.
    """
    if ctx.invoked_subcommand is None:
        _run_tui(None)


@cli.command()
@checklist_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to save the appraisal (default: appraisals/<study>.yaml in the data folder).",
)
@click.option("--paper", type=EXISTING_FILE, help="The paper to attach: PDF, text, Markdown or HTML.")
def new(checklist_ref: str, output: Path | None, paper: Path | None) -> None:
    """Start a new appraisal in the terminal app."""
    checklist = _checklist_or_usage_error(checklist_ref)
    if output is not None and output.exists():
        raise click.UsageError(f"{output} already exists; open it with `appraise open {output}`")
    _run_tui(None, checklist=checklist, output=output, **({"paper": paper} if paper is not None else {}))


@cli.command("open")
@click.argument("file", type=EXISTING_FILE)
def open_(file: Path) -> None:
    """Resume a saved appraisal in the terminal app."""
    from appraise.files.store import load_appraisal
    from appraise.files.yamlio import FileProblems

    try:
        loaded = load_appraisal(file)
    except FileProblems as error:
        _fail(error.problems)
    for warning in loaded.warnings:
        click.echo(str(warning), err=True)
    if loaded.errors:
        _fail(loaded.errors)
    _run_tui(file)


def _run_tui(path: Path | None, **kwargs: Any) -> None:
    from appraise.tui import run  # the only place the CLI reaches for Textual

    run(path, **kwargs)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def checklists(as_json: bool) -> None:
    """List the bundled and user checklists: id, version, title, questions, origin."""
    from appraise.files.checklists import available_checklists, load_checklist_file
    from appraise.files.yamlio import FileProblems

    rows: list[dict[str, Any]] = []
    broken: list[str] = []
    for entry in available_checklists():
        try:
            checklist = load_checklist_file(entry.path)
        except FileProblems as error:
            broken.extend(str(p) for p in error.problems)
            rows.append(
                {
                    "id": entry.id,
                    "version": "?",
                    "title": "(invalid: see below)",
                    "questions": 0,
                    "origin": entry.origin,
                    "path": str(entry.path),
                }
            )
            continue
        rows.append(
            {
                "id": checklist.id,
                "version": checklist.version,
                "title": checklist.title,
                "questions": len(checklist.questions),
                "origin": entry.origin,
                "path": str(entry.path),
            }
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        _table(rows, ["id", "version", "questions", "origin", "title"])
        user = next((r["path"] for r in rows if r["origin"] == "user"), None)
        if user:
            click.echo(f"\nUser checklists override bundled ones with the same id ({Path(user).parent}).")
    if broken:
        click.echo("\n".join(broken), err=True)
        sys.exit(1)


def _table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    widths = {c: max([len(c), *(len(str(r[c])) for r in rows)]) for c in columns}
    click.echo("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        click.echo("  ".join(str(row[c]).ljust(widths[c]) for c in columns).rstrip())


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check checklist or appraisal files (or folders of them); errors as FILE:LINE:COL: message."""
    from appraise.files.validate_files import validate_path

    failed = False
    for path in paths:
        for report in validate_path(path):
            for problem in report.problems:
                click.echo(str(problem))
            if report.ok:
                click.echo(f"{report.path}: ok ({report.summary})", err=True)
            failed = failed or not report.ok
    if failed:
        sys.exit(1)


@cli.command()
@click.argument("file", type=EXISTING_FILE)
@output_options(["md", "html", "json"], help_format="Report format (default: from the -o suffix, else md).")
@click.option("--template", type=EXISTING_FILE, help="Render with your own Jinja template (sandboxed).")
def report(file: Path, fmt: str | None, output: Path | None, template: Path | None) -> None:
    """Render the report of an appraisal as Markdown, HTML or JSON."""
    from appraise.files.store import load_appraisal
    from appraise.files.yamlio import FileProblems
    from appraise.reports.report import ReportError, render_report

    fmt = chosen_format(fmt, output, ["md", "html", "json"])
    try:
        loaded = load_appraisal(file)
    except FileProblems as error:
        _fail(error.problems)
    if loaded.errors:
        _fail(loaded.problems)
    for warning in loaded.warnings:
        click.echo(str(warning), err=True)
    try:
        text = render_report(loaded, fmt, template=template)
    except ReportError as error:
        raise Invalid(str(error)) from None
    emit(text, output)


@cli.command()
@click.argument("kind", type=click.Choice(["checklist", "appraisal"]))
def schema(kind: str) -> None:
    """Print the JSON Schema of a checklist or appraisal file (for editor completion of YAML)."""
    from appraise.files.schema import json_schema

    click.echo(json.dumps(json_schema(kind), indent=2, ensure_ascii=False))


def _checklist_or_usage_error(ref: str) -> Any:
    from appraise.files.checklists import load_checklist
    from appraise.files.yamlio import FileProblems

    try:
        return load_checklist(ref)
    except LookupError as error:
        raise click.BadParameter(str(error), param_hint="'-c' / '--checklist'") from None
    except FileProblems as error:
        _fail(error.problems)


def main() -> None:
    """Entry point of the ``appraise`` console script."""
    # pydantic looks for plugins in every installed distribution's metadata the first time it
    # builds a validator: a quarter of a report's start-up, for plugins appraise does not use.
    # A user who wants them can still set the variable.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        cli(prog_name="appraise")
    except BrokenPipeError:  # e.g. `appraise report x.yaml | head`
        sys.stderr.close()
        sys.exit(0)


from appraise.cli import learning as _learning  # noqa: E402,F401  (registers its commands)
from appraise.cli import papers as _papers  # noqa: E402,F401  (registers its commands)
from appraise.cli import summary as _summary  # noqa: E402,F401  (registers its commands)
from appraise.cli import team as _team  # noqa: E402,F401  (registers its commands)
