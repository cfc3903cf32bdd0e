"""``appraise summary`` (tables, figures and robvis files across studies) and ``appraise import`` (references).

Registered on :data:`appraise.cli.cli` when that module is imported. Heavy imports happen inside the
commands, so that ``appraise --help`` stays fast; neither command imports Textual.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from appraise.cli.options import (
    EXISTING_FILE,
    Invalid,
    checklist_option,
    checklist_or_usage_error,
    chosen_format,
    echo_problems,
    emit,
    output_options,
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@output_options(
    ["md", "html", "json", "csv", "robvis"],
    help_format="md, html, json, csv (one row per answer) or robvis (default: from the -o suffix, else md).",
    help_output="Write here instead of to standard output (robvis with several checklists: OUT-<checklist>.csv each).",
)
@click.option(
    "--allow-incomplete", is_flag=True, help="robvis: write 'No information' where a judgement is still missing."
)
@click.option(
    "--palette",
    type=click.Choice(["cochrane", "colourblind"]),
    default="cochrane",
    show_default=True,
    help="robvis colour palette for the HTML figures.",
)
@click.option(
    "--weighted", is_flag=True, help="Weight the summary bars (and add robvis's Weight column) by each file's 'weight'."
)
def summary(
    paths: tuple[Path, ...], fmt: str | None, output: Path | None, allow_incomplete: bool, palette: str, weighted: bool
) -> None:
    """Summarise appraisals across studies: tables, traffic-light and summary plots, robvis CSV.

    PATHS are appraisal files and folders of them (searched recursively). Files that cannot be
    read are reported with their line and left out; the rest are still summarised, and the exit
    status is then 1.
    """
    with _cycle_collector_paused():
        failed = _summarise(
            list(paths), fmt, output, allow_incomplete=allow_incomplete, palette=palette, weighted=weighted
        )
    if failed:
        sys.exit(1)


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """A summary builds many small objects without cycles: the cycle collector would spend a sixth of
    the run re-scanning them. Reference counting still frees them; forked workers inherit the pause."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _summarise(
    paths: list[Path], fmt: str | None, output: Path | None, *, allow_incomplete: bool, palette: str, weighted: bool
) -> bool:
    """Read, summarise and write; True when something was left out or could not be written."""
    from appraise.reports import summary as core

    fmt = chosen_format(fmt, output, ["md", "html", "json", "csv", "robvis"])
    collection = core.collect(paths, answers=fmt in {"csv", "json"}, weighted=weighted)
    echo_problems(collection.warnings)
    echo_problems(collection.skipped)
    if not collection.studies:
        raise Invalid(f"nothing to summarise: no appraisal could be read from {', '.join(map(str, paths))}")
    failed = bool(collection.skipped)
    if fmt == "csv":
        emit(core.long_csv(collection), output)
    elif fmt == "robvis":
        failed = _robvis(core, collection, output, allow_incomplete=allow_incomplete, weighted=weighted) or failed
    else:
        data = core.build_summary(collection, palette=palette, weighted=weighted, allow_incomplete=allow_incomplete)
        try:
            emit(core.render(data, fmt), output)
        except core.SummaryError as error:
            raise Invalid(str(error)) from None
    if collection.skipped:
        files = len(collection.skipped_files)
        click.echo(f"left out {files} file{'s' if files != 1 else ''} that could not be read (see above)", err=True)
    return failed


def _robvis(core: Any, collection: Any, output: Path | None, *, allow_incomplete: bool, weighted: bool) -> bool:
    """Write one robvis CSV per checklist; report every judgement that keeps a table from being written."""
    from appraise.reports import robvis

    data = core.build_summary(collection, weighted=weighted, allow_incomplete=allow_incomplete)
    groups = data["groups"]
    if len(groups) > 1 and output is None:
        ids = ", ".join(g["checklist"]["id"] for g in groups)
        raise click.UsageError(
            f"the appraisals use several checklists ({ids}); robvis needs one file each: give -o OUT"
        )
    failed = False
    for group in groups:
        checklist_id = group["checklist"]["id"]
        table = group["robvis"]
        if table is None:
            click.echo(robvis.missing_mapping(checklist_id), err=True)
            failed = True
            continue
        if "refused" in table:
            echo_problems(table["refused"])
            click.echo(f"robvis table for {checklist_id} not written", err=True)
            failed = True
            continue
        target = output
        if output is not None and len(groups) > 1:
            target = output.with_name(f"{output.stem}-{checklist_id}{output.suffix or '.csv'}")
        emit(robvis.to_csv([table["header"], *table["rows"]]), target)
    return failed


@click.command("import")
@click.argument("file", type=EXISTING_FILE)
@checklist_option
@click.option(
    "-d",
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the new appraisals (default: appraisals/ in the data folder).",
)
def import_(file: Path, checklist_ref: str, folder: Path | None) -> None:
    """Create one appraisal per reference in a RIS (.ris) or BibTeX (.bib) file, skipping duplicates.

    A reference is a duplicate when its DOI, or (where either has none) its title, matches an
    appraisal already in the folder or an earlier reference in the file. Files are never overwritten.
    """
    from appraise.files import paths
    from appraise.files.importing import FORMATS, import_references

    if file.suffix.lower() not in FORMATS:
        raise click.BadParameter(f"{file}: expected a .ris or .bib file", param_hint="'FILE'")
    checklist = checklist_or_usage_error(checklist_ref)
    folder = folder if folder is not None else paths.appraisals_dir()
    result = import_references(file, checklist, folder)
    for created in result.created:
        click.echo(f"created {created}")
    echo_problems(result.warnings)
    echo_problems(result.skipped)
    echo_problems(result.problems)
    skipped = len(result.skipped) + len(result.problems)
    click.echo(
        f"created {len(result.created)} appraisal{'s' if len(result.created) != 1 else ''} in {folder}; "
        f"skipped {skipped} reference{'s' if skipped != 1 else ''}"
        + (f" ({len(result.problems)} could not be read)" if result.problems else ""),
        err=True,
    )
    if result.problems:
        sys.exit(1)


COMMANDS = [summary, import_]
