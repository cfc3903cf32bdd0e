"""Reports: the JSON contract, escaping that holds, metadata on every report, user templates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from appraise.files.store import load_appraisal
from appraise.reports.environment import ReportError
from appraise.reports.report import render_report

HOSTILE_NOTE = '<script>alert("x")</script> <img src=x onerror=alert(1)> {{ 7*7 }} [bold]b[/] \x1b[31mred'


def with_hostile_note(path: Path) -> Path:
    text = path.read_text(encoding="utf-8").replace(
        '  A1: "Y"', '  A1: {answer: "Y", note: ' + json.dumps(HOSTILE_NOTE) + ", quote: '<b>q</b>', page: '<i>'}"
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_json_report_follows_the_contract(pathways: Path) -> None:
    report = json.loads(render_report(load_appraisal(pathways), "json"))
    assert report["checklist"] == {**report["checklist"], "id": "peer-support", "version": "2"}
    assert report["study"]["title"].startswith("Peer support for leaving hospital")
    keys = {"id", "title", "outcome", "judgement", "proposed", "override_reason", "trace", "messages", "questions"}
    for section in report["sections"]:
        assert keys <= set(section)
        for question in section["questions"]:
            assert {"id", "text", "answer", "note", "quote", "page"} <= set(question)
    per_outcome = [(s["id"], s["outcome"]) for s in report["sections"] if s["outcome"]]
    assert per_outcome == [("E", "readmission"), ("E", "qpr-4m")]
    assert [o["outcome"] for o in report["overall"]] == ["readmission", "qpr-4m"]
    assert [o["judgement"] for o in report["overall"]] == ["moderate", "low"]  # a secondary outcome: low at most
    assert report["progress"] == {"answered": 44, "total": 48}


def test_json_report_shows_na_for_questions_not_asked(pathways: Path) -> None:
    text = pathways.read_text(encoding="utf-8").replace("A2: rct", "A2: non_randomised")
    pathways.write_text(text, encoding="utf-8")
    report = json.loads(render_report(load_appraisal(pathways), "json"))
    bias = next(s for s in report["sections"] if s["id"] == "E")
    answers = {q["id"]: q["answer"] for q in bias["questions"]}
    assert answers["E1"] == answers["E2"] == "NA"
    # E1 and E2 for each of two outcomes, and A3, are not asked; E9 (confounding) is, for each outcome.
    assert report["progress"]["total"] == 48 - 4 - 1 + 2


def test_html_report_renders_hostile_notes_inert(pathways: Path) -> None:
    html = render_report(load_appraisal(with_hostile_note(pathways)), "html")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html.split("7*7")[0][-20:]
    assert "\x1b" not in html and "␛[31mred" in html
    assert "&lt;b&gt;q&lt;/b&gt;" in html and "&lt;i&gt;" in html


def test_markdown_report_escapes_notes_and_control_characters(pathways: Path) -> None:
    md = render_report(load_appraisal(with_hostile_note(pathways)), "md")
    assert "<script>" not in md and "\\<script\\>" in md
    assert "\x1b" not in md
    assert "{{ 7\\*7 }}" in md and "49" not in md


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_report_names_instrument_version_reviewer_date_and_app_version(pathways: Path, fmt: str) -> None:
    from datetime import date

    from appraise import __version__

    text = render_report(load_appraisal(pathways), fmt)
    for expected in ("peer-support", "version 2", "Expert key", date.today().isoformat(), f"appraise {__version__}"):
        assert expected in text, expected


def test_reports_carry_judgements_traces_notes_and_quotes(pathways: Path) -> None:
    md = render_report(load_appraisal(pathways), "md")
    assert "Moderate confidence" in md
    assert "`Overall: A3 = full, A2 = rct, primary outcome, F2 = imprecise → moderate`" in md
    assert "Manual in supplement S2" in md
    assert "> — p. 6" in md
    html = render_report(load_appraisal(pathways), "html")
    assert "Rule trace: E: E1 = Y" in html and "<cite>p. 6</cite>" in html


def test_user_template_renders_in_a_sandbox(pathways: Path, tmp_path: Path) -> None:
    good = tmp_path / "mine.txt.j2"
    good.write_text("{{ study.label }}: {% for o in overall %}{{ o.judgement }} {% endfor %}\n", encoding="utf-8")
    assert render_report(load_appraisal(pathways), template=good) == "Fenwick-Tarrant 2024: moderate low "
    evil = tmp_path / "evil.txt.j2"
    evil.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    with pytest.raises(ReportError, match="sandbox"):
        render_report(load_appraisal(pathways), template=evil)


def test_user_html_template_is_autoescaped(pathways: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.html.j2"
    mine.write_text(
        "{% for s in sections %}{% for q in s.questions %}{{ q.note }}{% endfor %}{% endfor %}", encoding="utf-8"
    )
    html = render_report(load_appraisal(with_hostile_note(pathways)), template=mine)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_template_typo_is_a_clear_error_not_an_empty_report(pathways: Path, tmp_path: Path) -> None:
    typo = tmp_path / "typo.md.j2"
    typo.write_text("{{ study.titel }}", encoding="utf-8")
    with pytest.raises(ReportError, match="titel"):
        render_report(load_appraisal(pathways), template=typo)


def test_template_in_the_user_folder_overrides_the_bundled_one(pathways: Path, data_dir: Path) -> None:
    folder = data_dir / "templates"
    folder.mkdir(parents=True)
    (folder / "report.md.j2").write_text("house style for {{ study.label }}\n", encoding="utf-8")
    assert render_report(load_appraisal(pathways), "md") == "house style for Fenwick-Tarrant 2024\n"


def test_markdown_questions_are_separate_paragraphs_even_when_not_asked(pathways: Path) -> None:
    text = pathways.read_text(encoding="utf-8").replace("A2: rct", "A2: non_randomised")
    pathways.write_text(text, encoding="utf-8")
    lines = render_report(load_appraisal(pathways), "md").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("**") and line[2:3].isalnum()]
    assert starts and all(lines[i - 1] == "" for i in starts)
    assert any(line.startswith("*Not asked.*") for line in lines)
    assert lines[2].startswith("- **Study:**") and lines[3].startswith("- **")


def test_a_template_in_the_user_folder_renders_in_the_sandbox(pathways: Path, data_dir: Path) -> None:
    folder = data_dir / "templates"
    folder.mkdir(parents=True)
    (folder / "report.md.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    with pytest.raises(ReportError, match="sandbox"):
        render_report(load_appraisal(pathways), "md")


def test_json_report_keeps_the_study_and_outcome_fields_a_file_adds(pathways: Path) -> None:
    """Fields appraise does not define (a funder, a DOI, an effect's extra number) reach the JSON as written."""
    text = pathways.read_text(encoding="utf-8").replace(
        "  year: 2024\n", "  year: 2024\n  funder: {name: Imaginary Trust}\n  doi: 10.1/x\n"
    )
    text = text.replace(
        "finding: no_difference}",
        "finding: no_difference, effect: {measure: RR, estimate: 0.9, lower: 0.7, upper: 1.1, arm_n: 120}}",
    )
    pathways.write_text(text, encoding="utf-8")
    report = json.loads(render_report(load_appraisal(pathways), "json"))
    assert report["study"]["funder"]["name"] == "Imaginary Trust"
    assert report["study"]["doi"] == "10.1/x" and report["study"]["label"]
    first = report["outcomes"][0]
    assert first["effect"]["estimate"] == 0.9 and "arm_n" in first["effect"]
    assert first["label"] and first["type_label"] and report["outcomes"][1]["id"] == "qpr-4m"
