"""The layout's promises, computed from the source: a headless core, no import cycles, no private imports.

Every module is found by walking ``src/appraise``, so a new module is checked without anyone
remembering to add it to a list.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "appraise"


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


ALL_MODULES = sorted(module_name(p) for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")  # that one runs the app
HEADLESS = [m for m in ALL_MODULES if not m.startswith("appraise.tui")]
CORE = [m for m in ALL_MODULES if m.startswith("appraise.core")]


def test_the_walk_finds_the_layout() -> None:
    assert {"appraise.core.engine", "appraise.files.store", "appraise.cli", "appraise.tui.app"} <= set(ALL_MODULES)


@pytest.mark.parametrize("module", HEADLESS)
def test_every_module_outside_the_app_imports_without_textual(module: str) -> None:
    code = f"import sys, {module}; assert 'textual' not in sys.modules, 'textual imported'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("module", CORE)
def test_the_core_touches_no_files_templates_or_screens(module: str) -> None:
    """Read from the source (every import, lazy ones too): importing ``appraise`` itself loads more."""
    banned = ("textual", "jinja2", "appraise.files", "appraise.reports", "appraise.review", "appraise.cli")
    path = SRC / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = SRC / module.replace(".", "/") / "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        found += [n for n in names if n.startswith(banned)]
    assert found == []


def _module_level_imports(tree: ast.Module) -> Iterator[ast.ImportFrom | ast.Import]:
    """Imports run when the module loads (not those inside functions or ``if TYPE_CHECKING:``)."""
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If | ast.Try):
            test = getattr(node, "test", None)
            if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
                continue
            for child in ast.walk(node):
                if isinstance(child, ast.Import | ast.ImportFrom):
                    yield child


def _imports_of(path: Path) -> set[str]:
    targets: set[str] = set()
    for node in _module_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names if alias.name.startswith("appraise."))
        elif node.module and node.module.startswith("appraise"):
            for alias in node.names:  # `from appraise.files import paths` imports the module appraise.files.paths
                full = f"{node.module}.{alias.name}"
                targets.add(full if full in ALL_MODULES else node.module)
    # `from appraise import __version__` is safe by design: the package defines it before importing anything.
    targets.discard("appraise")
    return targets


def test_no_module_imports_itself_back_through_a_cycle() -> None:
    graph = {module_name(p): _imports_of(p) for p in PACKAGE.rglob("*.py")}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str], done: set[str]) -> None:
        if node in trail:
            cycles.append([*trail[trail.index(node) :], node])
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*trail, node], done)
        done.add(node)

    finished: set[str] = set()
    for start in sorted(graph):
        visit(start, [], finished)
    assert cycles == []


def test_no_module_imports_another_modules_private_name() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("appraise"):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                if private:
                    offenders.append(f"{module_name(path)}: from {node.module} import {', '.join(private)}")
    assert offenders == []


# --- every command that does not open the app runs without Textual ------------------------------------

DATA = Path(__file__).resolve().parents[1] / "data"
OPENS_THE_APP = {"new", "open", "practice start", "serve"}
"""Commands whose job is the terminal app (and the bare `appraise`); `serve` runs it for browsers."""

HEADLESS_RUNS = {
    "checklists": ["checklists"],
    "validate": ["validate", "{pathways}"],
    "report": ["report", "{pathways}", "-f", "html"],
    "schema": ["schema", "appraisal"],
    "glossary": ["glossary", "intention to treat"],
    "practice": ["practice", "--list"],
    "practice score": ["practice", "score", "{practice}"],
    "summary": ["summary", "{pathways}", "-f", "html"],
    "summary robvis": ["summary", "{pathways}", "-f", "robvis"],
    "summary csv": ["summary", "{pathways}", "-f", "csv"],
    "import": ["import", "{ris}", "-d", "{tmp}/imported"],
    "compare": ["compare", "{a}", "{b}", "-o", "{tmp}/out.md"],
    "consensus": ["consensus", "{a}", "{b}", "-o", "{tmp}/consensus.yaml"],
    "attach": ["attach", "{copy}", "{paper}"],
    "calibrate": ["calibrate", "{review}", "-f", "html"],
    "complete": ["complete", "{mine}"],
    "unlock": ["unlock", "{locked}", "--reason", "a second look"],
    "history": ["history", "{locked}"],
    "config": ["config", "reviewer", "Alex Morgan"],
}


def _command_names() -> set[str]:
    import click

    from appraise.cli import cli

    names: set[str] = set()
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        names.add(name)
        if isinstance(command, click.Group):
            names.update(f"{name} {sub}" for sub in command.commands)
    return names


def test_every_command_is_either_run_headless_here_or_opens_the_app() -> None:
    """A new command must be added to HEADLESS_RUNS (or OPENS_THE_APP), so the check below covers it."""
    covered = {run.split(" ")[0] if run.startswith("summary ") else run for run in HEADLESS_RUNS} | OPENS_THE_APP
    assert _command_names() - covered == set()


@pytest.mark.parametrize("run", sorted(HEADLESS_RUNS))
def test_commands_that_do_not_open_the_app_never_import_textual(run: str, tmp_path: Path) -> None:
    ris = tmp_path / "refs.ris"
    ris.write_text("TY  - JOUR\nTI  - A trial\nPY  - 2020\nER  - \n", encoding="utf-8")
    from appraise.files.store import write_appraisal
    from appraise.learning.practice import find_vignette, start_practice

    copy, paper = tmp_path / "appraisal.yaml", tmp_path / "paper.md"
    copy.write_bytes((DATA / "pathways-home.yaml").read_bytes())
    paper.write_text("Allocation was concealed by a central web-based service.\n", encoding="utf-8")
    practice = tmp_path / "practice.yaml"
    write_appraisal(practice, start_practice(find_vignette("hope-rising")))
    mine, locked, review = tmp_path / "mine.yaml", tmp_path / "locked.yaml", tmp_path / "review"
    shutil.copy(DATA / "pathways-home-reviewer-a.yaml", mine)
    from appraise.files.store import load_appraisal
    from appraise.review.locking import mark_complete

    done = load_appraisal(DATA / "pathways-home-reviewer-a.yaml").appraisal
    mark_complete(done, "Alex Morgan")
    write_appraisal(locked, done)
    for name, source in (("alex", "a"), ("bea", "b")):
        (review / name).mkdir(parents=True)
        shutil.copy(DATA / f"pathways-home-reviewer-{source}.yaml", review / name / "pathways-home.yaml")
    values = {
        "mine": mine,
        "locked": locked,
        "review": review,
        "practice": practice,
        "pathways": DATA / "pathways-home.yaml",
        "a": DATA / "pathways-home-reviewer-a.yaml",
        "b": DATA / "pathways-home-reviewer-b.yaml",
        "ris": ris,
        "tmp": tmp_path,
        "copy": copy,
        "paper": paper,
    }
    argv = [arg.format(**values) for arg in HEADLESS_RUNS[run]]
    code = (
        "import sys\nfrom appraise.cli import cli\n"
        f"try:\n    cli({argv!r})\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


OVER_THE_LIMIT: dict[str, int] = {}
"""Modules allowed past the limit, at the size they have (none now): they may shrink, never grow."""


def test_modules_stay_small_enough_to_read() -> None:
    """UI modules under 400 lines, headless ones under 500 (the house style); a listed module may not grow."""
    too_long = []
    for path in PACKAGE.rglob("*.py"):
        limit = 400 if "tui" in path.parts else 500
        name = module_name(path)
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > OVER_THE_LIMIT.get(name, limit):
            too_long.append(f"{name}: {lines} > {OVER_THE_LIMIT.get(name, limit)}")
    assert too_long == []


def _map_sections() -> dict[str, str]:
    """ARCHITECTURE.md's module sections, by the package each describes (``### files/`` → ``files``)."""
    text = (SRC.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    for chunk in text.split("\n### ")[1:]:
        heading, _, body = chunk.partition("\n")
        sections[heading.strip().rstrip("/")] = body.split("\n## ")[0]
    return sections


def test_every_module_is_on_the_maintainers_map() -> None:
    """A newcomer reads ARCHITECTURE.md to find things: each module is named in its package's section."""
    sections = _map_sections()
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) == 1 or path.name == "__init__.py":
            continue  # the top-level modules (the API, shims, __main__) and the packages' own files
        package, inside = relative.parts[0], Path(*relative.parts[1:]).as_posix()
        if f"`{inside}`" not in sections.get(package, ""):
            missing.append(f"{package}/{inside}")
    assert missing == [], "add a line for each to ARCHITECTURE.md"
