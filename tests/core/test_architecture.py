"""The layout's promises, computed from the source: a headless core, no import cycles, no private imports.

Every module is found by walking ``src/appraise``, so a new module is checked without anyone
remembering to add it to a list.
"""

from __future__ import annotations

import ast
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
