"""The ``appraise`` command: the group, and every command registered by name, one module per family.

Commands that do not open the terminal app never import Textual; each imports what it needs when it
runs (its family module included), so ``appraise --help`` stays fast. Shared options and helpers
live in :mod:`appraise.cli.options`.
"""

from __future__ import annotations

import sys

import click

from appraise import __version__
from appraise.cli.options import Group, run_tui
from appraise.cli.startup import no_plugin_scan, pause_gc

FAMILIES: dict[str, tuple[str, ...]] = {
    "appraisals": ("new", "open", "checklists", "validate", "report", "schema"),
    "papers": ("attach",),
    "learning": ("glossary", "practice"),
    "summary": ("summary", "import"),
    "team": ("compare", "consensus", "calibrate", "complete", "unlock", "history"),
    "settings": ("config",),
    "serve": ("serve",),
}
"""Every command by the family module whose ``COMMANDS`` defines it (a test keeps the two in step);
a family is imported when one of its commands runs, or for ``--help``."""

# appraise uses no pydantic plugins; looking for them costs 10-30 ms of each command when the first
# validator is built (models build theirs on first use, so this is in time). A user's setting wins.
no_plugin_scan()


@click.group(
    cls=Group,
    lazy={name: family for family, names in FAMILIES.items() for name in names},
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="appraise")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Critically appraise research on mental-health peer support.

    With no command, opens the start screen: new appraisal, recent appraisals, glossary.
    """
    if ctx.invoked_subcommand is None:
        run_tui(None)


def main() -> None:
    """Entry point of the ``appraise`` console script."""
    pause_gc()  # until the command starts (or the app's first screen is up): see cli/startup.py
    try:
        cli(prog_name="appraise")
    except BrokenPipeError:  # e.g. `appraise report x.yaml | head`
        sys.stderr.close()
        sys.exit(0)
