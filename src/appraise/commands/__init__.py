"""CLI commands of larger features, each in its own module; they register themselves on ``appraise.cli.cli``.

``appraise.cli`` imports each module at its end. Like every non-TUI command, they must not import Textual.
"""
