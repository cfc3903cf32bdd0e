"""Start-up: commands do not scan for pydantic plugins unless the user asks for them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
