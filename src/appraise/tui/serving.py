"""One browser session of ``appraise serve``: the app in a fresh data folder of its own.

textual-serve starts this module once per browser connection (a new process each time), so every
session, and every student in a classroom, gets a folder nobody else writes to.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path


def serve_sessions(command: str, *, host: str, port: int, title: str) -> None:
    """Serve ``command`` (one app process per browser session) with textual-serve until stopped."""
    from textual_serve.server import Server

    Server(command, host=host, port=port, title=title).serve()


def session_folder(root: Path) -> Path:
    """A new, empty data folder under ``root`` for one browser session."""
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="session-", dir=root))


def main(argv: list[str] | None = None) -> None:
    """Run the app for one browser session (textual-serve passes the web driver in the environment)."""
    parser = argparse.ArgumentParser(prog="python -m appraise.tui.serving")
    parser.add_argument("root", type=Path, help="where each session's data folder is made")
    parser.add_argument("--classroom", action="store_true", help="only practice and new appraisals")
    args = parser.parse_args(argv)
    folder = session_folder(args.root)
    # Everything that reads the data folder (user checklists, vignettes, templates, state) reads
    # this session's folder, never the account's own one.
    os.environ["APPRAISE_DATA_DIR"] = str(folder)
    from appraise.tui.app import AppraiseApp

    AppraiseApp(data_dir=folder, classroom=args.classroom).run()


if __name__ == "__main__":
    main()
