"""The commands of one appraisal: ``new``, ``open``, ``checklists``, ``validate``, ``report``, ``schema``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from appraise.cli.options import (
    EXISTING_FILE,
    Invalid,
    checklist_option,
    checklist_or_usage_error,
    chosen_format,
    emit,
    fail,
    output_options,
    paper_option,
    run_tui,
)

REVIEWER_HELP = "Who you are, for the file's history (default: the file's reviewer, else `appraise config reviewer`)."


@click.command()
@checklist_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to save the appraisal (default: appraisals/<study>.yaml in the data folder).",
)
@click.option("--paper", type=EXISTING_FILE, help="The paper to attach: PDF, text, Markdown or HTML.")
@click.option("--reviewer", default="", help=REVIEWER_HELP)
def new(checklist_ref: str, output: Path | None, paper: Path | None, reviewer: str) -> None:
    """Start a new appraisal in the terminal app."""
    checklist = checklist_or_usage_error(checklist_ref)
    if output is not None and output.exists():
        raise click.UsageError(f"{output} already exists; open it with `appraise open {output}`")
    extra: dict[str, Any] = {"paper": paper} if paper is not None else {}
    if reviewer:
        extra["reviewer"] = reviewer
    run_tui(None, checklist=checklist, output=output, **extra)


@click.command("open")
@click.argument("file", type=EXISTING_FILE)
@click.option("--reviewer", default="", help=REVIEWER_HELP)
def open_(file: Path, reviewer: str) -> None:
    """Resume a saved appraisal in the terminal app."""
    from appraise.files.problems import FileProblems
    from appraise.files.store import load_appraisal

    try:
        loaded = load_appraisal(file)
    except FileProblems as error:
        fail(error.problems)
    for warning in loaded.warnings:
        click.echo(str(warning), err=True)
    if loaded.errors:
        fail(loaded.errors)
    run_tui(file, **({"reviewer": reviewer} if reviewer else {}))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def checklists(as_json: bool) -> None:
    """List the bundled and user checklists: id, version, title, questions, origin."""
    from appraise.files.checklists import available_checklists, load_checklist_file
    from appraise.files.problems import FileProblems

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
    from appraise.core.text import one_line

    rows = [{c: one_line(str(r[c])) for c in columns} for r in rows]  # titles come from user files
    widths = {c: max([len(c), *(len(str(r[c])) for r in rows)]) for c in columns}
    click.echo("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for row in rows:
        click.echo("  ".join(str(row[c]).ljust(widths[c]) for c in columns).rstrip())


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check checklist or appraisal files (or folders of them); errors as FILE:LINE:COL: message."""
    from appraise.core.text import visible
    from appraise.files.validate_files import validate_path

    failed = False
    for path in paths:
        for report in validate_path(path):
            for problem in report.problems:
                click.echo(str(problem))
            if report.ok:
                click.echo(visible(f"{report.path}: ok ({report.summary})"), err=True)
            failed = failed or not report.ok
    if failed:
        sys.exit(1)


@click.command()
@click.argument("file", type=EXISTING_FILE)
@output_options("report")
@paper_option
@click.option("--template", type=EXISTING_FILE, help="Render with your own Jinja template (sandboxed).")
@click.option("--history", "with_history", is_flag=True, help="Add the file's history: who changed what, and when.")
def report(file: Path, fmt: str | None, output: Path | None, template: Path | None, with_history: bool) -> None:
    """Render the report of an appraisal as Markdown, HTML, JSON or Word."""
    from appraise.files.problems import FileProblems
    from appraise.files.store import load_appraisal
    from appraise.reports.environment import ReportError
    from appraise.reports.formats import FORMATS
    from appraise.reports.report import build_report, render_report

    fmt = chosen_format(fmt, output, "report")
    try:
        loaded = load_appraisal(file)
    except FileProblems as error:
        fail(error.problems)
    if loaded.errors:
        fail(loaded.problems)
    for warning in loaded.warnings:
        click.echo(str(warning), err=True)
    writer = FORMATS[fmt].writer("report") if template is None else None
    try:
        text = (
            writer(build_report(loaded, history=with_history))
            if writer is not None
            else render_report(loaded, fmt, template=template, history=with_history)
        )
    except ReportError as error:
        raise Invalid(str(error)) from None
    emit(text, output)


@click.command()
@click.argument("kind", type=click.Choice(["checklist", "appraisal", "review"]))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the schema to this file (e.g. appraisal.schema.json beside your files) instead of printing it.",
)
def schema(kind: str, output: Path | None) -> None:
    """Print the JSON Schema of a checklist, appraisal or review.yaml file (for editor completion of YAML)."""
    from appraise.files.schema import json_schema

    emit(json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n", output)


COMMANDS = [new, open_, checklists, validate, report, schema]
