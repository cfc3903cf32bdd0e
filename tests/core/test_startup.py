"""Start-up: commands do not scan for pydantic plugins unless the user asks for them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

# Run in a fresh interpreter: what a command imports depends on what was imported before it.
REPORT = """
import json, sys
from click.testing import CliRunner
from appraise.cli import cli
result = CliRunner().invoke(cli, ["report", sys.argv[1], "-f", "json"])
loader = sys.modules["pydantic.plugin._loader"]
print(json.dumps({
    "exit": result.exit_code,
    "title": json.loads(result.output)["study"]["title"],
    "metadata_read": "importlib.metadata" in sys.modules,
    "plugins": list(loader.get_plugins()),
    "group": loader.PYDANTIC_ENTRY_POINT_GROUP,
}))
"""


def run_report(pathways: Path, data_dir: Path, **env: str) -> dict[str, object]:
    environ = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    environ.update(PYTHONPATH=str(SRC), APPRAISE_DATA_DIR=str(data_dir), **env)
    out = subprocess.run(
        [sys.executable, "-c", REPORT, str(pathways)], env=environ, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_a_report_reads_no_package_metadata_for_plugins(pathways: Path, data_dir: Path) -> None:
    ran = run_report(pathways, data_dir)
    assert ran["exit"] == 0 and str(ran["title"]).startswith("Peer support for leaving hospital")
    assert ran["metadata_read"] is False and ran["plugins"] == []
    # Any other name of pydantic's loader is still the real one's.
    assert ran["group"] == "pydantic"


def test_a_user_who_names_plugins_to_skip_keeps_pydantics_own_plugin_loader(pathways: Path, data_dir: Path) -> None:
    ran = run_report(pathways, data_dir, PYDANTIC_DISABLE_PLUGINS="some-plugin")
    assert ran["exit"] == 0 and ran["metadata_read"] is True


# --- the cyclic garbage collector: paused while appraise starts, on while a command works --------

COMMAND = """
import gc, sys
import click
from appraise.cli import cli, main

@cli.command("probe")
def probe() -> None:
    print("collecting" if gc.isenabled() else "paused", gc.get_freeze_count() > 0)

sys.argv = ["appraise", "probe"]
main()
"""

APP = """
import gc, sys
from pathlib import Path
from appraise.cli.startup import pause_gc

pause_gc()  # as `appraise open FILE` does before it imports the app
from appraise.tui import AppraiseApp

async def ready(pilot) -> None:
    await pilot.pause()
    while not pilot.app._dom_ready:  # Textual's Ready: the first screen is up
        await pilot.pause()
    await pilot.pause()
    print("collecting" if gc.isenabled() else "paused")
    pilot.app.exit()

AppraiseApp(Path(sys.argv[1]), cursor_blink=False).run(headless=True, size=(120, 40), auto_pilot=ready)
"""

LIBRARY = """
import gc
from click.testing import CliRunner
from appraise.cli import cli
result = CliRunner().invoke(cli, ["checklists"])
print(result.exit_code, gc.isenabled(), gc.get_freeze_count())
"""


def run_python(code: str, data_dir: Path, *args: str) -> str:
    environ = {**os.environ, "PYTHONPATH": str(SRC), "APPRAISE_DATA_DIR": str(data_dir)}
    out = subprocess.run([sys.executable, "-c", code, *args], env=environ, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()[-1]


def test_a_command_does_its_work_with_the_collector_on(data_dir: Path) -> None:
    """A long command (a summary of 10,000 files) must free its cycles; start-up's objects are set aside."""
    assert run_python(COMMAND, data_dir) == "collecting True"


def test_the_app_collects_again_once_its_first_screen_is_up(pathways: Path, data_dir: Path) -> None:
    """An editing session lasts hours: the pause of start-up ends with the first screen."""
    assert run_python(APP, data_dir, str(pathways)) == "collecting"


def test_calling_the_cli_from_python_leaves_the_callers_collector_alone(data_dir: Path) -> None:
    """Only the ``appraise`` program pauses and freezes; a script or a test that invokes ``cli`` does not."""
    assert run_python(LIBRARY, data_dir) == "0 True 0"


# --- commands registered by name: a command imports its own family only ------------------------


def test_every_family_defines_exactly_the_commands_the_group_lists_for_it() -> None:
    import importlib

    from appraise.cli import FAMILIES

    for family, names in FAMILIES.items():
        module = importlib.import_module(f"appraise.cli.{family}")
        assert sorted(c.name for c in module.COMMANDS) == sorted(names), family


def test_help_lists_every_command_of_every_family(data_dir: Path) -> None:
    from click.testing import CliRunner

    from appraise.cli import FAMILIES, cli

    shown = CliRunner().invoke(cli, ["--help"]).output.split("Commands:")[1]
    listed = {line.split()[0] for line in shown.splitlines() if line.strip()}
    assert listed == {name for names in FAMILIES.values() for name in names}


ONE_FAMILY = """
import sys
from click.testing import CliRunner
from appraise.cli import cli
result = CliRunner().invoke(cli, ["report", sys.argv[1], "-f", "json"])
print(result.exit_code, sorted(m for m in sys.modules if m.startswith("appraise.cli.")))
"""


def test_a_report_imports_no_other_command_family(pathways: Path, data_dir: Path) -> None:
    ran = run_python(ONE_FAMILY, data_dir, str(pathways))
    assert ran == "0 ['appraise.cli.appraisals', 'appraise.cli.options', 'appraise.cli.startup']"


def test_a_mistyped_command_is_still_offered_the_nearest_one(data_dir: Path) -> None:
    from click.testing import CliRunner

    from appraise.cli import cli

    result = CliRunner().invoke(cli, ["sumary", "x.yaml"])
    assert result.exit_code == 2 and "Did you mean 'summary'?" in result.output


# --- what a report of an appraisal without a paper does not import ------------------------------

NO_PAPER = """
import json, sys
from click.testing import CliRunner
from appraise.cli import cli
result = CliRunner().invoke(cli, ["report", sys.argv[1], "-f", "json"])
b4 = next(q for s in json.loads(result.output)["sections"] for q in s["questions"] if q["id"] == "B4")
print(json.dumps({"check": b4["quote_check"], "search": "appraise.core.quotes" in sys.modules}))
"""


def test_a_report_without_a_paper_states_each_quote_unchecked_without_importing_the_search(
    pathways: Path, data_dir: Path
) -> None:
    ran = json.loads(run_python(NO_PAPER, data_dir, str(pathways)))
    assert ran["check"] == {
        "status": "unchecked",
        "checked": False,
        "pages": [],
        "document": None,
        "mark": "?",
        "text": "not checked (no paper attached)",
    }
    assert ran["search"] is False


# --- what a summary of files read before imports ----------------------------------------------------

SUMMARY = """
import json, sys
from click.testing import CliRunner
from appraise.cli import cli
result = CliRunner().invoke(cli, ["summary", sys.argv[1], "-f", "csv"])
reading = [m for m in ("appraise.core.appraisal", "appraise.core.engine", "appraise.files.store") if m in sys.modules]
print(json.dumps({"code": result.exit_code, "csv": result.output, "imported": reading}))
"""


def test_a_summary_of_files_read_before_imports_neither_the_appraisal_models_nor_the_engine(
    pathways: Path, data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "review"
    folder.mkdir()
    an_hour_ago = time.time() - 3600  # saved a while ago: files changed in the last seconds are not cached
    for name in ("a", "b"):
        (folder / f"{name}.yaml").write_bytes(pathways.read_bytes())
        os.utime(folder / f"{name}.yaml", (an_hour_ago, an_hour_ago))
    first = json.loads(run_python(SUMMARY, data_dir, str(folder)))
    assert first["code"] == 0 and first["imported"]  # the first summary reads and judges the files
    again = json.loads(run_python(SUMMARY, data_dir, str(folder)))
    assert again["code"] == 0 and again["csv"] == first["csv"]
    assert again["imported"] == []  # the next one has them from the read cache: it reads none
