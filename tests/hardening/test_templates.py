"""User templates: runtime errors are messages, output is bounded, include reads only templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from appraise.cli import cli

DATA = Path(__file__).parent.parent / "data"


def report_with(tmp_path: Path, source: str) -> tuple[int, str]:
    template = tmp_path / "mine.md.j2"
    template.write_text(source, encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(DATA / "pathways-home.yaml"), "--template", str(template)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def test_a_runtime_error_in_a_user_template_is_a_message_with_its_line(tmp_path: Path) -> None:
    code, out = report_with(tmp_path, "fine\n{{ 1/0 }}\n")
    assert code == 1 and "mine.md.j2:2: template error: ZeroDivisionError" in out


@pytest.mark.parametrize(
    "source", ["{{ 'A' * 10**10 }}", "{{ 'A' * 10000000 }}", "{% for i in range(100000) %}{{ 'x' * 999 }}{% endfor %}"]
)
def test_a_template_cannot_produce_unbounded_output(tmp_path: Path, source: str) -> None:
    code, out = report_with(tmp_path, source)
    assert code == 1 and "refused by the template sandbox" in out


def test_include_reads_only_templates_not_other_files_in_the_folder(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SECRET=hunter2\n", encoding="utf-8")
    (tmp_path / "part.md.j2").write_text("included part\n", encoding="utf-8")
    code, out = report_with(tmp_path, "{% include 'part.md.j2' %}{% include '.env' %}")
    assert code == 1 and "hunter2" not in out and "only .j2 templates can be included" in out
    code, out = report_with(tmp_path, "{% include 'part.md.j2' %}")
    assert code == 0 and "included part" in out


async def test_the_app_falls_back_to_the_bundled_report_when_the_users_copy_fails(
    data_dir: Path, pathways: Path
) -> None:
    from textual.widgets import MarkdownViewer

    from appraise.tui.app import AppraiseApp

    (data_dir / "templates").mkdir(parents=True)
    (data_dir / "templates" / "report.md.j2").write_text("{{ 1/0 }}\n", encoding="utf-8")
    app = AppraiseApp(pathways)
    async with app.run_test() as pilot:
        await pilot.press("r")
        await pilot.pause()
        viewer = app.screen.query_one(MarkdownViewer)
        source = viewer.document.source
        assert "Your report template failed" in source and "ZeroDivisionError" in source
        assert "Fenwick-Tarrant" in source  # the bundled report, in full
