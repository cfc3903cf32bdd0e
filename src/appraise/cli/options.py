"""What the ``appraise`` commands share: options, output, and how a command fails.

Exit status: 0 ok; 1 a file that exists but is invalid (one line per problem, no traceback);
2 usage errors, including a file that does not exist.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from appraise.core.text import inert, visible

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


class Invalid(click.ClickException):
    """A file exists but is not valid: exit status 1, problems one per line."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(visible(self.format_message()), err=True)


class CannotWrite(click.ClickException):
    """A file could not be read or written (read-only, full disk, missing folder): exit status 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(visible(f"appraise: cannot go on: {self.format_message()}"), err=True)


class Group(click.Group):
    """The command group; a file that cannot be read or written is a message, never a traceback.

    Commands are registered by name with the family module that defines them (``lazy``), and a
    family is imported when one of its commands is asked for: a command imports, and builds the
    options of, its own family only (all seven cost ~4 ms of every command). Help loads them all.
    """

    def __init__(self, *args: Any, lazy: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})
        """Command name -> the module of :mod:`appraise.cli` whose ``COMMANDS`` defines it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            # An unknown name loads every family: click's "Did you mean …?" looks among them.
            for family in {self.lazy[cmd_name]} if cmd_name in self.lazy else set(self.lazy.values()):
                self._register(family)
        return super().get_command(ctx, cmd_name)

    def _register(self, family: str) -> None:
        for command in importlib.import_module(f"appraise.cli.{family}").COMMANDS:
            self.add_command(command)
            self.lazy.pop(command.name or "", None)

    def invoke(self, ctx: click.Context) -> Any:
        from appraise.cli.startup import resume_gc
        from appraise.files.atomic import describe_os_error

        resume_gc()  # the arguments are parsed: the command's own work runs with the collector on
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # `appraise report x.yaml | head`: main() ends quietly
            raise
        except OSError as error:
            raise CannotWrite(describe_os_error(error)) from None


def fail(problems: list[Any]) -> NoReturn:
    """Stop with exit status 1, printing each problem on its own line."""
    raise Invalid("\n".join(str(p) for p in problems))


F = TypeVar("F", bound=Callable[..., Any])


def output_options(kind: str, help_format: str = "", help_output: str = "") -> Callable[[F], F]:
    """``-f/--format`` (the formats registered for ``kind``) and ``-o/--output``, for every command that writes."""
    from appraise.reports import formats

    names = formats.offered(kind)

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
            type=click.Choice(names),
            help=help_format or f"{', '.join(names)} (default: from the -o suffix, else {names[0]}).",
        )(command)

    return decorate


def chosen_format(fmt: str | None, output: Path | None, kind: str) -> str:
    """The format asked for, else the one the output's suffix names, else the kind's default.

    A suffix the command does not offer is a usage error (exit 2) that lists the ones it does.
    """
    from appraise.reports import formats

    try:
        return formats.for_output(kind, fmt, output).name
    except formats.UnsupportedFormat as error:
        raise click.UsageError(str(error)) from None


def _set_paper(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # The templates read the paper size when they render; this run's choice wins over the locale.
    if value:
        import os

        os.environ["APPRAISE_PAPER"] = value
    return value


paper_option = click.option(
    "--page-size",
    "--paper",  # its first name (0.2.0); kept, but `new --paper FILE` means the study's paper
    type=click.Choice(["a4", "letter"]),
    callback=_set_paper,
    expose_value=False,
    help="Page size when the HTML is printed (default: from the locale, else A4).",
)
"""``--page-size`` (also ``--paper``), for commands that write printable HTML."""


checklist_option = click.option(
    "-c",
    "--checklist",
    "checklist_ref",
    default="peer-support",
    show_default=True,
    help="Checklist id or path to a checklist file.",
)
"""``-c/--checklist``, for every command that starts appraisals."""


def emit(text: str | bytes, output: Path | None) -> None:
    """Print the text, or write it (or bytes: Word, Excel, images) atomically to ``output`` and say so on stderr."""
    from appraise.reports.formats import write_output

    if isinstance(text, str):
        text = inert(text)  # nothing from a file may act on the terminal, now or when the file is cat'ed
    if output is None:
        click.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    write_output(output, text)
    click.echo(f"wrote {output}", err=True)


def run_tui(path: Path | None, **kwargs: Any) -> None:
    """Open the terminal app: the only place the CLI reaches for Textual."""
    from appraise.cli.startup import pause_gc

    pause_gc()  # importing Textual and the screens, and the first screen: the app resumes it when ready
    from appraise.tui import run

    run(path, **kwargs)


def checklist_or_usage_error(ref: str) -> Any:
    """The checklist a ``-c`` option names, or a usage error (exit 2) that says what is wrong."""
    from appraise.files.checklists import load_checklist
    from appraise.files.problems import FileProblems

    try:
        return load_checklist(ref)
    except LookupError as error:
        raise click.BadParameter(str(error), param_hint="'-c' / '--checklist'") from None
    except FileProblems as error:
        fail(error.problems)


def echo_problems(problems: list[Any]) -> None:
    """Print problems (warnings, skipped files) to standard error, made safe for the terminal."""
    from appraise.core.text import visible

    for problem in problems:
        click.echo(visible(str(problem)), err=True)
