"""``appraise summary`` (tables, figures and robvis files across studies) and ``appraise import`` (references).

Registered on :data:`appraise.cli.cli` when that module is imported. Heavy imports happen inside the
commands, so that ``appraise --help`` stays fast; neither command imports Textual.
"""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO, cast

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
    paper_option,
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@output_options(
    "summary",
    help_format="md, html, json, csv (one row per answer), robvis, docx (Word), xlsx (the RoB 2 Excel tool's "
    "Results sheet), or one figure as svg, png or pdf (default: from the -o suffix, else md).",
    help_output="Write here instead of to standard output (robvis with several checklists: OUT-<checklist>.csv each).",
)
@click.option(
    "--figure",
    type=click.Choice(["traffic-light", "summary", "evidence-map", "forest"]),
    default="traffic-light",
    show_default=True,
    help="Which figure -f svg|png|pdf writes.",
)
@click.option("--outcome", "outcome_name", help="forest: only this outcome (its id or name).")
@paper_option
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
    paths: tuple[Path, ...],
    fmt: str | None,
    output: Path | None,
    figure: str,
    outcome_name: str | None,
    allow_incomplete: bool,
    palette: str,
    weighted: bool,
) -> None:
    """Summarise appraisals across studies: tables, traffic-light and summary plots, robvis CSV.

    PATHS are appraisal files and folders of them (searched recursively). Files that cannot be
    read are reported with their line and left out; the rest are still summarised, and the exit
    status is then 1.
    """
    with _cycle_collector_paused():
        failed = _summarise(
            list(paths),
            fmt,
            output,
            allow_incomplete=allow_incomplete,
            palette=palette,
            weighted=weighted,
            figure=figure,
            outcome=outcome_name,
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
    paths: list[Path],
    fmt: str | None,
    output: Path | None,
    *,
    allow_incomplete: bool,
    palette: str,
    weighted: bool,
    figure: str = "traffic-light",
    outcome: str | None = None,
) -> bool:
    """Read, summarise and write; True when something was left out or could not be written."""
    from appraise.reports import summary as core
    from appraise.reports.formats import FORMATS

    fmt = chosen_format(fmt, output, "summary")
    writer = FORMATS[fmt].writer("summary")
    paths = _review_folders(paths)
    from appraise.reports.collect import command_jobs

    collection = core.collect(
        paths, answers=fmt in {"csv", "json", "docx", "xlsx"}, weighted=weighted, jobs=command_jobs()
    )
    echo_problems(collection.warnings)
    echo_problems(collection.skipped)
    if not collection.studies:
        raise Invalid(f"nothing to summarise: no appraisal could be read from {', '.join(map(str, paths))}")
    failed = bool(collection.skipped)
    if fmt == "csv":
        with _written(output) as out:
            core.write_long_csv(collection, out)
    elif fmt == "robvis":
        failed = _robvis(core, collection, output, allow_incomplete=allow_incomplete, weighted=weighted) or failed
    elif writer is not None:
        data = core.build_summary(collection, palette=palette, weighted=weighted, allow_incomplete=allow_incomplete)
        # Word and Excel look answers up per table cell: they get them as a list (streamed elsewhere).
        data["answers"] = list(data["answers"])
        try:
            emit(writer(data, figure=figure, outcome=outcome), output)
        except ValueError as error:  # the figure asked for cannot be drawn from these appraisals
            raise click.UsageError(str(error)) from None
    else:
        data = core.build_summary(collection, palette=palette, weighted=weighted, allow_incomplete=allow_incomplete)
        try:
            # The JSON writer makes its text inert as it goes (it knows which studies need no look).
            with _written(output, inert=fmt != "json") as out:
                core.write(data, fmt, out)
        except core.SummaryError as error:
            raise Invalid(str(error)) from None
    if collection.skipped:
        files = len(collection.skipped_files)
        click.echo(f"left out {files} file{'s' if files != 1 else ''} that could not be read (see above)", err=True)
    return failed


class _Inert:
    """A text stream that passes everything through :func:`~appraise.core.text.inert`, as :func:`emit` does.

    Text is collected into runs of about 64 kB and checked a run at a time: a long CSV is written a
    row at a time, and checking each row on its own cost more than writing it. A run never ends on a
    carriage return, whose meaning (a line end or a stray) depends on the character after it.
    """

    RUN = 1 << 16

    def __init__(self, out: TextIO) -> None:
        from appraise.core.text import inert

        self._out, self._inert = out, inert
        self._pending: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        self._pending.append(text)
        self._size += len(text)
        if self._size >= self.RUN:
            self._write_run(final=False)
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Write everything collected (called once everything has been written)."""
        self._write_run(final=True)
        self._out.flush()

    def _write_run(self, *, final: bool) -> None:
        run = "".join(self._pending)
        held = "" if final or not run.endswith("\r") else "\r"
        run = run[: len(run) - len(held)]
        self._pending, self._size = ([held], len(held)) if held else ([], 0)
        if run:
            self._out.write(self._inert(run))


@contextlib.contextmanager
def _written(output: Path | None, *, inert: bool = True) -> Iterator[TextIO]:
    """Standard output, or a file replaced atomically once everything is written (as :func:`emit` does).

    Streaming keeps a summary of 10,000 studies from holding its whole text in memory. Everything
    written is made inert unless ``inert`` is False: the writer has made it so already.
    """
    if output is None:
        stream = _Inert(sys.stdout) if inert else sys.stdout
        yield cast(TextIO, stream)
        stream.flush()
        return
    from appraise.files.atomic import atomic_writer

    output.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(output) as handle:
        stream = _Inert(handle) if inert else handle
        yield cast(TextIO, stream)
        stream.flush()
    click.echo(f"wrote {output}", err=True)


def _review_folders(paths: list[Path]) -> list[Path]:
    """A review folder (with review.yaml) counts each study once: its consensus, else one reviewer's copy."""
    from appraise.files.problems import FileProblems
    from appraise.review.folder import summary_paths

    try:
        chosen, notes = summary_paths(paths)
    except FileProblems as error:
        raise Invalid("\n".join(str(p) for p in error.problems)) from None
    for note in notes:
        click.echo(f"note: {note}", err=True)
    return chosen


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
    """Create appraisals: one per reference (.ris, .bib), per row of a RoB 2 Excel Results sheet
    (.xlsx, .xlsm), or per study of a Cochrane CDxxxxxx-risk-of-bias.csv.

    A reference is a duplicate when its DOI, or (where either has none) its title, matches an
    appraisal already in the folder or an earlier reference in the file. Files are never overwritten.
    A Results sheet gives rob2 appraisals (-c rob2-adhering for the other effect); a risk-of-bias
    file gives rob1 or rob2 ones, chosen from its domain names unless -c says.
    """
    from appraise.files import paths
    from appraise.files.cochrane import SHEET_SUFFIXES
    from appraise.files.importing import FORMATS, import_references

    suffix = file.suffix.lower()
    given = click.get_current_context().get_parameter_source("checklist_ref") != click.core.ParameterSource.DEFAULT
    folder = folder if folder is not None else paths.appraisals_dir()
    if suffix in SHEET_SUFFIXES or suffix == ".csv":
        _import_cochrane(file, checklist_ref if given else None, folder)
        return
    if suffix not in FORMATS:
        raise click.BadParameter(
            f"{file}: expected a .ris, .bib, .nbib or Web of Science .txt file (references), "
            "a RoB 2 Excel workbook (.xlsx, .xlsm) "
            "or a Cochrane risk-of-bias .csv",
            param_hint="'FILE'",
        )
    checklist = checklist_or_usage_error(checklist_ref)
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


def _import_cochrane(file: Path, checklist_ref: str | None, folder: Path) -> None:
    """``import results.xlsx`` (the RoB 2 Excel tool) or ``import CDxxxxxx-risk-of-bias.csv`` (a data package)."""
    from appraise.files import cochrane

    if file.suffix.lower() in cochrane.SHEET_SUFFIXES:
        checklist = checklist_or_usage_error(checklist_ref or "rob2")
        if not checklist.id.startswith("rob2"):
            raise click.BadParameter(f"the Results sheet is RoB 2's, not {checklist.id}", param_hint="'-c'")
        done = cochrane.import_results_sheet(file, checklist, folder)
    else:
        try:
            done = cochrane.import_risk_of_bias_csv(file, folder, checklist_ref)
        except LookupError as error:
            raise click.BadParameter(str(error), param_hint="'-c' / '--checklist'") from None
    for created in done.created:
        click.echo(f"created {created}")
    echo_problems(done.warnings)
    echo_problems(done.problems)
    click.echo(
        f"created {len(done.created)} appraisal{'s' if len(done.created) != 1 else ''} in {folder}"
        + (
            f"; {len(done.problems)} cell{'s' if len(done.problems) != 1 else ''} could not be read"
            if done.problems
            else ""
        ),
        err=True,
    )
    if done.problems:
        sys.exit(1)


COMMANDS = [summary, import_]
