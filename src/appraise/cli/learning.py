"""``appraise glossary`` and ``appraise practice``: the jargon buster and practice with model answers."""

from __future__ import annotations

import json
import sys
import textwrap
from dataclasses import asdict
from pathlib import Path

import click

from appraise.cli.options import EXISTING_FILE, Invalid, fail, run_tui


@click.command()
@click.argument("term", required=False)
def glossary(term: str | None) -> None:
    """Explain a research term (forgiving of case, plurals and typos), or list them all."""
    from appraise.core.text import visible
    from appraise.files.yamlio import FileProblems
    from appraise.learning.glossary import load_glossary

    try:
        terms = load_glossary()
    except FileProblems as error:
        fail(error.problems)
    if term is None:
        for entry in sorted(terms.terms.values(), key=lambda t: t.term.lower()):
            name = f"{entry.term} ({entry.abbreviation})" if entry.abbreviation else entry.term
            click.echo(f"{visible(name)}\n{_wrap(entry.definition)}\n")
        return
    found = terms.lookup(term)
    if not found:
        click.echo(f"no glossary term matches {term!r}; `appraise glossary` lists them all", err=True)
        sys.exit(1)
    for entry in found if len(found) == 1 else found[:5]:
        name = f"{entry.term} ({entry.abbreviation})" if entry.abbreviation else entry.term
        click.echo(click.style(visible(name), bold=True))
        click.echo(_wrap(entry.definition))
        related = [terms.terms[r].term for r in entry.related if r in terms.terms]
        if related:
            click.echo(_wrap("Related: " + ", ".join(related)))
        click.echo()


def _wrap(text: str) -> str:
    from appraise.core.text import one_line

    return textwrap.fill(one_line(text), width=88, initial_indent="  ", subsequent_indent="  ")


@click.group(invoke_without_command=True)
@click.option("--list", "show_list", is_flag=True, help="List the practice vignettes.")
@click.pass_context
def practice(ctx: click.Context, show_list: bool) -> None:
    """Practise critical reading on fictional studies with model answers."""
    if ctx.invoked_subcommand is not None:
        return
    if not show_list:
        click.echo(ctx.get_help())
        return
    from appraise.learning.practice import list_vignettes

    entries, problems = list_vignettes()
    for entry in entries:
        click.echo(f"{entry.id:<22} {entry.design:<16} {entry.title}: {entry.summary}")
    for problem in problems:
        click.echo(str(problem), err=True)


@practice.command("start")
@click.argument("vignette")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to save your practice appraisal (default: practice/ in the data folder).",
)
def practice_start(vignette: str, output: Path | None) -> None:
    """Open the app on a new practice appraisal of a vignette."""
    from appraise.files.yamlio import FileProblems
    from appraise.learning.practice import find_vignette

    try:
        found = find_vignette(vignette)
    except LookupError as error:
        raise click.BadParameter(str(error), param_hint="VIGNETTE") from None
    except FileProblems as error:
        fail(error.problems)
    run_tui(None, practice=found, output=output)


@practice.command("score")
@click.argument("file", type=EXISTING_FILE)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def practice_score(file: Path, fmt: str) -> None:
    """Score a practice appraisal against its model answer."""
    from appraise.files.store import load_appraisal
    from appraise.files.yamlio import FileProblems
    from appraise.learning.practice import find_vignette, score, vignette_of

    try:
        loaded = load_appraisal(file)
    except FileProblems as error:
        fail(error.problems)
    if loaded.errors:
        fail(loaded.errors)
    vignette_id = vignette_of(loaded.appraisal)
    if vignette_id is None:
        raise Invalid(f"{file}: not a practice appraisal (it names no vignette under 'practice:')")
    try:
        feedback = score(loaded.appraisal, find_vignette(vignette_id), loaded.checklist)
    except (LookupError, FileProblems) as error:
        raise Invalid(f"{file}: {error}") from None
    if fmt == "json":
        data = {
            "vignette": feedback.vignette.id,
            "questions": [asdict(q) for q in feedback.questions],
            "judgements": [asdict(j) for j in feedback.judgements],
            "teaching_points": feedback.vignette.teaching_points,
            "totals": {g: feedback.count(g) for g in ("agrees", "acceptable", "differs", "unanswered", "not_asked")},
            "full_marks": feedback.full_marks,
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(_feedback_text(feedback))


def _feedback_text(feedback: object) -> str:
    from appraise.core.text import one_line
    from appraise.learning.practice import Feedback

    assert isinstance(feedback, Feedback)
    marks = {
        "agrees": "✓ agrees",
        "acceptable": "~ acceptable",
        "differs": "✗ differs",
        "unanswered": "? unanswered",
        "not_asked": "· not asked",
    }
    lines = [f"{feedback.vignette.title} — practice feedback", ""]
    lines.append(
        f"Answers: {feedback.count('agrees')} agree, {feedback.count('acceptable')} acceptable, "
        f"{feedback.count('differs')} differ, {feedback.count('unanswered')} unanswered"
    )
    lines.append("")
    for q in feedback.questions:
        where = f" [{q.outcome_id}]" if q.outcome_id else ""
        lines.append(f"{q.question_id}{where}  {marks[q.grade]}: yours {q.yours_label}; model {q.expected_label}")
        if q.grade in {"differs", "unanswered"} and q.rationale:
            lines.append(f"    why: {one_line(q.rationale)}")
    lines += ["", "Judgements:"]
    for j in feedback.judgements:
        lines.append(
            f"  {j.title}{' [' + j.outcome_id + ']' if j.outcome_id else ''}: {marks[j.grade]} "
            f"(yours {j.yours or '—'}; model {j.expected})"
        )
    if feedback.vignette.teaching_points:
        lines += ["", "Teaching points:"] + [f"  • {one_line(p)}" for p in feedback.vignette.teaching_points]
    return "\n".join(lines)


COMMANDS = [glossary, practice]
