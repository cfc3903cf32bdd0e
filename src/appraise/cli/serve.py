"""``appraise serve``: the app in a web browser, one data folder per browser session."""

from __future__ import annotations

import ipaddress
import shlex
import sys
import tempfile
from pathlib import Path

import click


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host`` (``localhost`` and 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to any interface
        return False


def exposure_warning(host: str, port: int, classroom: bool) -> str | None:
    """What to tell the person serving on an address other machines can reach (None on loopback)."""
    if is_loopback(host):
        return None
    warning = (
        f"Warning: serving on {host}: anyone who can reach this machine on port {port} can use the app, "
        "without a password, unencrypted."
    )
    if not classroom:
        warning += " Without --classroom they can open and write any file this account can; add --classroom."
    return warning


def session_command(root: Path, classroom: bool) -> str:
    """The shell command textual-serve runs for each browser session."""
    args = [sys.executable, "-m", "appraise.tui.serving", str(root)]
    return shlex.join([*args, "--classroom"] if classroom else args)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option(
    "--classroom", is_flag=True, help="Students: only practice and new appraisals, no files outside the session."
)
@click.option(
    "--sessions",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where each browser session's data folder is made (default: a new temporary folder).",
)
def serve(host: str, port: int, classroom: bool, sessions: Path | None) -> None:
    """Serve the app to web browsers; every browser session starts with its own empty data folder."""
    from appraise.tui.serving import serve_sessions  # the terminal app's side: textual-serve lives there

    root = (sessions or Path(tempfile.mkdtemp(prefix="appraise-serve-"))).resolve()
    root.mkdir(parents=True, exist_ok=True)
    warning = exposure_warning(host, port, classroom)
    if warning is not None:
        click.echo(warning, err=True)
    click.echo(f"Session folders: {root}", err=True)
    title = "appraise (classroom)" if classroom else "appraise"
    try:
        serve_sessions(session_command(root, classroom), host=host, port=port, title=title)
    except OSError as error:  # most often: another program already listens on that port
        reason = error.strerror or str(error)
        raise click.BadParameter(
            f"cannot listen on {host}:{port}: {reason}; choose another port", param_hint="'--port'"
        ) from None


COMMANDS = [serve]
