"""``appraise attach``: record the paper (or a protocol, supplement, registry record) an appraisal rests on."""

from __future__ import annotations

from pathlib import Path

import click

from appraise.cli.options import EXISTING_FILE, Invalid, fail


@click.command()
@click.argument("appraisal_file", metavar="APPRAISAL", type=EXISTING_FILE)
@click.argument("paper", type=EXISTING_FILE)
@click.option(
    "--as",
    "role",
    type=click.Choice(["paper", "protocol", "supplement", "registry"]),
    default="paper",
    show_default=True,
    help="What the document is: the paper appraised, or one the appraisal also rests on.",
)
def attach(appraisal_file: Path, paper: Path, role: str) -> None:
    """Attach a paper (PDF, text, Markdown or HTML) to an appraisal, so quotes can be checked."""
    from appraise.files.papers import PaperError
    from appraise.files.papers import attach as attach_paper
    from appraise.files.store import read_appraisal, write_over
    from appraise.files.yamlio import FileProblems

    try:
        appraisal, _ = read_appraisal(appraisal_file)
    except FileProblems as error:
        fail(error.problems)
    try:
        text = attach_paper(appraisal, appraisal_file, paper, None if role == "paper" else role)
    except PaperError as error:
        raise Invalid(f"{error}\n{appraisal_file} was not changed.") from None
    write_over(appraisal_file, appraisal)
    ref = appraisal.paper if role == "paper" else appraisal.documents[-1]
    assert ref is not None
    pages = len(text.pages)
    blank = f"; {len(text.empty_pages)} page(s) without text" if text.empty_pages else ""
    click.echo(f"attached {paper} as the {role} of {appraisal_file}: {pages} page(s){blank}, sha256 {ref.sha256[:12]}…")


COMMANDS = [attach]
"""The commands this module adds to ``appraise``."""
