"""``appraise config``: the user's settings in the data folder (who you are, for now)."""

from __future__ import annotations

import click

from appraise.cli.options import Invalid


@click.command("config")
@click.argument("name", required=False)
@click.argument("value", required=False)
@click.option("--unset", is_flag=True, help="Remove the setting NAME.")
def config_command(name: str | None, value: str | None, unset: bool) -> None:
    """Show or change your settings: `appraise config reviewer "Alex Morgan"` says who you are.

    With no NAME, lists every setting; with NAME only, prints its value.
    """
    from appraise.core.text import visible
    from appraise.files.problems import FileProblems
    from appraise.files.settings import KNOWN, read_settings, settings_file, write_setting

    if name is not None and name not in KNOWN:
        raise click.UsageError(f"unknown setting {name!r}; known: {', '.join(KNOWN)}")
    if unset and (name is None or value is not None):
        raise click.UsageError("--unset takes one NAME and no VALUE")
    try:
        if name is not None and (value is not None or unset):
            path = write_setting(name, None if unset else value)
            click.echo(f"{path}: {name} {'removed' if unset else 'set'}", err=True)
            return
        settings = read_settings()
    except FileProblems as error:
        raise Invalid("\n".join(str(p) for p in error.problems)) from None
    if name is not None:
        if name not in settings:
            raise Invalid(f"{name} is not set; set it with `appraise config {name} VALUE` ({settings_file()})")
        click.echo(visible(settings[name]))  # the file is the user's: nothing in it may act on the terminal
        return
    for known, meaning in KNOWN.items():
        shown = settings.get(known)
        click.echo(visible(f"{known} = {shown if shown is not None else '(not set)'}    # {meaning}"))
    click.echo(f"settings file: {settings_file()}", err=True)


COMMANDS = [config_command]
