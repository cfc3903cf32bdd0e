"""Two reviewers: ``appraise compare`` (agreement and Cohen's kappa) and ``appraise consensus``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from appraise.cli.options import EXISTING_FILE, Invalid, chosen_format, emit, output_options

if TYPE_CHECKING:
    from appraise.files.store import LoadedAppraisal


def _two_appraisals(command: Callable[..., None]) -> Callable[..., None]:
    """The arguments A.yaml and B.yaml: two reviewers' appraisals of one study."""
    command = click.argument("file_b", metavar="B.yaml", type=EXISTING_FILE)(command)
    return click.argument("file_a", metavar="A.yaml", type=EXISTING_FILE)(command)


def _load_pair(file_a: Path, file_b: Path) -> tuple[LoadedAppraisal, LoadedAppraisal, list[str]]:
    """Both files and their warnings (also shown on standard error), or exit 1 with every problem."""
    from appraise.files.yamlio import FileProblems
    from appraise.review.compare import load_pair

    try:
        a, b, warnings = load_pair(file_a, file_b)
    except FileProblems as error:
        raise Invalid("\n".join(str(p) for p in error.problems)) from None
    for warning in warnings:
        click.echo(str(warning), err=True)
    return a, b, [str(w) for w in warnings]


@click.command("compare")
@_two_appraisals
@output_options("compare")
def compare_command(file_a: Path, file_b: Path, fmt: str | None, output: Path | None) -> None:
    """Compare two reviewers' appraisals of one study: agreement, Cohen's kappa, every disagreement."""
    from appraise.reports.environment import ReportError
    from appraise.review.compare import compare, comparison_report, render_comparison

    fmt = chosen_format(fmt, output, "compare")
    a, b, warnings = _load_pair(file_a, file_b)
    comparison = compare(a.appraisal, b.appraisal, a.checklist)
    data = comparison_report(comparison, files=(str(file_a), str(file_b)), warnings=warnings)
    try:
        text = render_comparison(data, fmt)
    except ReportError as error:
        raise Invalid(str(error)) from None
    emit(text, output)


@click.command("consensus")
@_two_appraisals
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The consensus appraisal to write (a new file).",
)
def consensus_command(file_a: Path, file_b: Path, output: Path) -> None:
    """Merge two reviewers' appraisals: agreed answers kept, disagreements left open to resolve."""
    from appraise.files.store import write_appraisal
    from appraise.review.consensus import build_consensus, open_items

    if output.exists():
        raise click.UsageError(f"{output} already exists; appraise never writes a consensus over a file")
    a, b, _ = _load_pair(file_a, file_b)
    consensus = build_consensus(a.appraisal, b.appraisal, a.checklist, sources=(str(file_a), str(file_b)))
    output.parent.mkdir(parents=True, exist_ok=True)
    write_appraisal(output, consensus)
    items = open_items(consensus)
    if items:
        keys = ", ".join(item.key for item in items)
        click.echo(f"wrote {output}: {len(items)} to resolve ({keys})", err=True)
        click.echo("resolve them in the app, or by hand: the file's 'consensus:' key records each one", err=True)
    else:
        click.echo(f"wrote {output}: the reviewers agree on everything", err=True)


COMMANDS = [compare_command, consensus_command]
