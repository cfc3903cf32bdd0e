"""Review teams: ``appraise compare`` and ``appraise consensus`` of two or more reviewers' files."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from appraise.cli.options import EXISTING_FILE, Invalid, chosen_format, emit, output_options

if TYPE_CHECKING:
    from appraise.files.store import LoadedAppraisal
    from appraise.review.matching import OutcomeMatching


def _appraisals(command: Callable[..., None]) -> Callable[..., None]:
    """The arguments A.yaml B.yaml [C.yaml …]: reviewers' appraisals of one study, and --match."""
    command = click.option(
        "--match",
        "matches",
        multiple=True,
        metavar="FILE:OUTCOME=OUTCOME",
        help="Link FILE's outcome (id or name) to the first file's outcome, when names differ too much "
        "to match on their own. Repeatable.",
    )(command)
    return click.argument("files", metavar="A.yaml B.yaml [C.yaml …]", nargs=-1, required=True, type=EXISTING_FILE)(
        command
    )


def _load(files: Sequence[Path]) -> tuple[list[LoadedAppraisal], list[str]]:
    """Every file and the warnings (also shown on standard error), or exit 1 with every problem."""
    from appraise.files.problems import FileProblems
    from appraise.review.compare import load_many

    if len(files) < 2:
        raise click.UsageError("give two or more reviewers' appraisals of the same study")
    try:
        loaded, warnings = load_many(files)
    except FileProblems as error:
        raise Invalid("\n".join(str(p) for p in error.problems)) from None
    for warning in warnings:
        click.echo(str(warning), err=True)
    return loaded, [str(w) for w in warnings]


def _matching(files: Sequence[Path], loaded: list[LoadedAppraisal], matches: Sequence[str]) -> OutcomeMatching:
    """Outcomes matched across the files, with the user's --match links; warnings on standard error."""
    from appraise.review.compare import reviewer_letter, reviewer_name
    from appraise.review.matching import HOW_SAID, MatchError, match_outcomes, parse_match

    manual = []
    for spec in matches:
        try:
            path, own, target = parse_match(spec)
        except MatchError as error:
            raise click.UsageError(str(error)) from None
        index = next((i for i, f in enumerate(files) if Path(path) in (f, Path(f.name)) or path == str(f)), None)
        if index is None or index == 0:
            named = ", ".join(str(f) for f in files[1:])
            raise click.UsageError(f"--match {spec!r}: FILE must be one of the other reviewers' files ({named})")
        manual.append((index, own, target))
    names = [reviewer_name(one.appraisal, reviewer_letter(i)) for i, one in enumerate(loaded)]
    try:
        matching = match_outcomes([one.appraisal for one in loaded], reviewers=names, manual=manual)
    except MatchError as error:
        raise click.UsageError(str(error)) from None
    for link in matching.links:
        if link.how in ("name", "manual"):
            shown = " = ".join(f"{n!r}" for n in link.names if n is not None)
            click.echo(f"outcomes matched ({HOW_SAID[link.how]}): {shown} (as {link.canonical})", err=True)
    for warning in matching.warnings():
        click.echo(f"warning: {warning}", err=True)
    return matching


def _who(given: str, file_reviewer: str = "") -> str:
    """Who is at work (--reviewer, else the file's reviewer, else `appraise config reviewer`)."""
    from appraise.files.problems import FileProblems
    from appraise.files.settings import who_am_i

    try:
        return who_am_i(given, file_reviewer)
    except FileProblems as error:
        raise Invalid("\n".join(str(p) for p in error.problems)) from None


def _reviewer_option(command: Callable[..., None]) -> Callable[..., None]:
    return click.option(
        "--reviewer",
        default="",
        help="Who you are, for the files' history (default: `appraise config reviewer`).",
    )(command)


def _blind_check(loaded: list[LoadedAppraisal], unblind: str, reviewer: str = "") -> list[str]:
    """In a blind review, refuse to show answers before every file is complete (or record --unblind)."""
    from appraise.files.store import write_over
    from appraise.review import history
    from appraise.review.folder import review_of
    from appraise.review.locking import is_complete

    if not any((review := review_of(one.path)) is not None and review.blind for one in loaded):
        return []
    waiting = [one for one in loaded if not is_complete(one.appraisal)]
    if not waiting:
        return []
    names = ", ".join(f"{one.appraisal.reviewer or one.path.stem} ({one.path})" for one in waiting)
    if not unblind.strip():
        raise Invalid(
            f"this is a blind review and not every reviewer has marked the study complete: {names}. "
            "Compare once everyone has (`appraise complete FILE`), or give --unblind REASON"
        )
    by = _who(reviewer)  # the one unblinding, not each file's author
    for one in loaded:
        history.append(one.appraisal, {"at": history.stamp(None), "by": by, "event": "unblinded", "reason": unblind})
        write_over(one.path, one.appraisal)
    message = f"unblinded before every file was complete ({names}): {unblind}"
    click.echo(f"warning: {message}", err=True)
    return [message]


def _strict_exit(strict: bool, matching: OutcomeMatching) -> None:
    if strict and matching.unmatched:
        click.echo(f"--strict: {len(matching.unmatched)} outcome(s) not in every file were not compared", err=True)
        sys.exit(1)


@click.command("compare")
@_appraisals
@output_options("compare")
@click.option("--strict", is_flag=True, help="Exit 1 when an outcome is not in every file (so it was not compared).")
@click.option(
    "--unblind",
    metavar="REASON",
    default="",
    help="In a blind review, compare before every file is complete; the reason is kept in each file's history.",
)
@_reviewer_option
def compare_command(
    files: tuple[Path, ...],
    matches: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    strict: bool,
    unblind: str,
    reviewer: str,
) -> None:
    """Compare reviewers' appraisals of one study: agreement statistics and every disagreement."""
    from appraise.reports.environment import ReportError
    from appraise.review.compare import compare_many
    from appraise.review.report import comparison_report, render_comparison

    fmt = chosen_format(fmt, output, "compare")
    loaded, warnings = _load(files)
    warnings += _blind_check(loaded, unblind, reviewer)
    matching = _matching(files, loaded, matches)
    comparison = compare_many([one.appraisal for one in loaded], loaded[0].checklist, matching=matching)
    data = comparison_report(comparison, files=[str(f) for f in files], warnings=warnings)
    try:
        text = render_comparison(data, fmt)
    except ReportError as error:
        raise Invalid(str(error)) from None
    emit(text, output)
    _strict_exit(strict, matching)


@click.command("consensus")
@_appraisals
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The consensus appraisal to write (a new file).",
)
@click.option("--strict", is_flag=True, help="Exit 1 when an outcome is not in every file.")
@click.option("--unblind", metavar="REASON", default="", help="In a blind review, merge before every file is complete.")
@_reviewer_option
def consensus_command(
    files: tuple[Path, ...], matches: tuple[str, ...], output: Path, strict: bool, unblind: str, reviewer: str
) -> None:
    """Merge reviewers' appraisals: agreed answers kept, disagreements left open to resolve."""
    from appraise.files.store import write_appraisal
    from appraise.review.consensus import build_consensus_many, open_items

    if output.exists():
        raise click.UsageError(f"{output} already exists; appraise never writes a consensus over a file")
    loaded, _ = _load(files)
    _blind_check(loaded, unblind, reviewer)
    matching = _matching(files, loaded, matches)
    consensus = build_consensus_many(
        [one.appraisal for one in loaded],
        loaded[0].checklist,
        sources=[str(f) for f in files],
        matching=matching,
        matches=matches,
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    write_appraisal(output, consensus)
    items = open_items(consensus)
    if items:
        keys = ", ".join(item.key for item in items)
        click.echo(f"wrote {output}: {len(items)} to resolve ({keys})", err=True)
        click.echo("resolve them in the app, or by hand: the file's 'consensus:' key records each one", err=True)
    else:
        click.echo(f"wrote {output}: the reviewers agree on everything", err=True)
    _strict_exit(strict, matching)


@click.command("calibrate")
@click.argument("review", metavar="REVIEW", type=click.Path(exists=True, file_okay=False, path_type=Path))
@output_options("calibrate")
@click.option(
    "--match",
    "matches",
    multiple=True,
    metavar="FILE:OUTCOME=OUTCOME",
    help="Link a reviewer's outcome (FILE: their file, as a path or relative to REVIEW) to the first "
    "reviewer's outcome of that study. Repeatable.",
)
def calibrate_command(review: Path, fmt: str | None, output: Path | None, matches: tuple[str, ...]) -> None:
    """Compare every reviewer's pilot studies: the questions the team agrees on least, first."""
    from appraise.files.problems import FileProblems
    from appraise.reports.environment import ReportError
    from appraise.review.calibrate import calibration_report, render_calibration
    from appraise.review.folder import read_review
    from appraise.review.matching import MatchError, parse_match

    fmt = chosen_format(fmt, output, "calibrate")
    try:
        folder = read_review(review)
    except FileProblems as error:
        raise Invalid("\n".join(str(p) for p in error.problems)) from None
    links = []
    for spec in matches:
        try:
            named, own, target = parse_match(spec)
        except MatchError as error:
            raise click.UsageError(str(error)) from None
        found = next((p for p in (Path(named), review / named) if p.is_file()), None)
        if found is None:
            raise click.UsageError(f"--match {spec!r}: no file {named} (give a path, or one relative to {review})")
        links.append((found, own, target))
    try:
        data = calibration_report(folder, matches=links)
    except MatchError as error:
        raise click.UsageError(str(error)) from None
    for warning in data["warnings"]:
        click.echo(f"warning: {warning}", err=True)
    if not data["studies"]:
        raise Invalid(f"{review}: no pilot study has appraisals from two or more reviewers to compare")
    try:
        text = render_calibration(data, fmt)
    except ReportError as error:
        raise Invalid(str(error)) from None
    emit(text, output)


def _load_one(file: Path) -> LoadedAppraisal:
    from appraise.files.problems import FileProblems
    from appraise.files.store import load_appraisal

    try:
        loaded = load_appraisal(file)
    except FileProblems as error:
        raise Invalid("\n".join(str(p) for p in error.problems)) from None
    if loaded.errors:
        raise Invalid("\n".join(str(p) for p in loaded.errors))
    return loaded


@click.command("complete")
@click.argument("file", type=EXISTING_FILE)
@click.option(
    "--reviewer", default="", help="Who completes it (default: the file's reviewer, else `appraise config reviewer`)."
)
def complete_command(file: Path, reviewer: str) -> None:
    """Mark an appraisal complete: it is locked (status, who, when, a hash of the answers)."""
    from appraise.files.settings import personal_reviewer
    from appraise.files.store import write_over
    from appraise.review.locking import LockError, complete

    loaded = _load_one(file)
    try:
        done = complete(loaded.appraisal, _who(reviewer, personal_reviewer(loaded.appraisal)))
    except LockError as error:
        raise click.UsageError(f"{file}: {error}") from None
    write_over(file, loaded.appraisal)
    click.echo(f"{file}: complete and locked by {done['by']} at {done['at']} ({done['hash'][:19]}…)", err=True)
    click.echo("a working discipline, not cryptography: the hash shows later edits, it cannot prevent them", err=True)


@click.command("unlock")
@click.argument("file", type=EXISTING_FILE)
@click.option("--reason", required=True, help="Why it is reopened (kept in the file's history).")
@click.option(
    "--reviewer", default="", help="Who unlocks it (default: the file's reviewer, else `appraise config reviewer`)."
)
def unlock_command(file: Path, reason: str, reviewer: str) -> None:
    """Unlock a complete appraisal, with a reason kept in its history."""
    from appraise.files.settings import personal_reviewer
    from appraise.files.store import write_over
    from appraise.review.locking import LockError, unlock

    loaded = _load_one(file)
    try:
        unlock(loaded.appraisal, _who(reviewer, personal_reviewer(loaded.appraisal)), reason)
    except LockError as error:
        raise click.UsageError(f"{file}: {error}") from None
    write_over(file, loaded.appraisal)
    click.echo(f"{file}: unlocked ({reason})", err=True)


@click.command("history")
@click.argument("file", type=EXISTING_FILE)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def history_command(file: Path, fmt: str) -> None:
    """Print who changed what in an appraisal, and when (appended at every save)."""
    from appraise.core.text import visible
    from appraise.review.history import render_history

    # Names, reasons and notes come from the file: nothing in them may act on the terminal.
    click.echo(visible(render_history(_load_one(file).appraisal, fmt)), nl=False)


COMMANDS = [
    compare_command,
    consensus_command,
    calibrate_command,
    complete_command,
    unlock_command,
    history_command,
]
