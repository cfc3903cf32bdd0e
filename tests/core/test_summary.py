"""`appraise summary`: tables, figures and the evidence map across studies; bad files left out, never fatal."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.core.appraisal import Answer, Outcome, Override
from appraise.core.palette import PALETTES, WORDS
from appraise.files.atomic import atomic_write_text
from appraise.files.store import read_appraisal, to_text, write_appraisal
from appraise.reports.environment import markdown_text
from appraise.reports.summary import LONG_COLUMNS, build_summary, collect, render

DATA = Path(__file__).parent.parent / "data"

Outcomes = list[tuple[str, str, str]]
"""(name, type, finding) per outcome; the first is the primary outcome."""


def peer(
    folder: Path,
    name: str,
    *,
    authors: str = "Okafor C, Lindqvist A",
    year: str = "2020",
    title: str | None = None,
    outcomes: Outcomes | None = None,
    overrides: dict[str, str] | None = None,
    weight: float | str | None = None,
    note: str = "",
) -> Path:
    """A complete peer-support appraisal (the PATHWAYS-HOME expert key, varied), written with the store."""
    appraisal, _ = read_appraisal(DATA / "pathways-home.yaml")
    appraisal.study.authors, appraisal.study.year = authors, year
    if title is not None:
        appraisal.study.title = title
    if outcomes is not None:
        answers = appraisal.outcome_answers["readmission"]
        appraisal.outcomes = [
            Outcome(id=f"o{i}", name=label, type=kind, finding=finding, primary=i == 0)
            for i, (label, kind, finding) in enumerate(outcomes)
        ]
        appraisal.outcome_answers = {o.id: {k: a.model_copy() for k, a in answers.items()} for o in appraisal.outcomes}
    for key, judgement in (overrides or {}).items():
        appraisal.overrides[key] = Override(judgement=judgement, reason=f"reason for {key}")
    if note:
        appraisal.answers["A1"] = Answer(answer="Y", note=note, quote=note, page="3")
    path = folder / f"{name}.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    if weight is None:
        write_appraisal(path, appraisal)
    else:
        atomic_write_text(path, to_text({**appraisal.to_data(), "weight": weight}))
    return path


def summarise(*paths: Path, **options: Any) -> dict[str, Any]:
    return build_summary(collect(list(paths), answers=True, weighted=options.get("weighted", False)), **options)


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, ["summary", *args])


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "appraise", *args], capture_output=True, text=True, env=os.environ.copy(), timeout=120
    )


# --- reading ---------------------------------------------------------------------------------------


def test_folders_are_read_recursively_with_files_in_name_order(tmp_path: Path) -> None:
    peer(tmp_path / "sub", "a-in-a-folder", authors="Zed A")
    peer(tmp_path, "b-second", authors="Brown B")
    peer(tmp_path, "a-first", authors="Adams A")
    rows = summarise(tmp_path)["groups"][0]["rows"]
    assert [r["study"]["label"] for r in rows[::2]] == ["Adams 2020", "Brown 2020", "Zed 2020"]


def test_paths_are_read_in_the_order_given(tmp_path: Path) -> None:
    first = peer(tmp_path, "a", authors="Adams A")
    second = peer(tmp_path, "b", authors="Brown B")
    rows = summarise(second, first)["groups"][0]["rows"]
    assert [r["study"]["label"] for r in rows[::2]] == ["Brown 2020", "Adams 2020"]


def test_per_outcome_checklists_give_one_row_per_study_and_outcome(pathways: Path) -> None:
    rows = summarise(pathways)["groups"][0]["rows"]
    assert [r["label"] for r in rows] == [
        "Fenwick-Tarrant 2024 – Readmission within 12 months",
        "Fenwick-Tarrant 2024 – QPR-15 at 4 months",
    ]


def test_rows_show_final_judgements_with_the_proposal_kept(tmp_path: Path) -> None:
    path = peer(tmp_path, "overridden", overrides={"C": "major_concerns"})
    cell = summarise(path)["groups"][0]["rows"][0]["judgements"]["C"]
    assert (cell["judgement"], cell["proposed"], cell["overridden"]) == ("major_concerns", "some_concerns", True)
    assert cell["override_reason"] == "reason for C"


def test_mixed_checklists_are_grouped_by_checklist_in_order_of_appearance(tmp_path: Path, pathways: Path) -> None:
    groups = summarise(DATA / "rob2-complete.yaml", pathways)["groups"]
    assert [g["checklist"]["id"] for g in groups] == ["rob2", "peer-support"]
    assert [c["id"] for c in groups[0]["columns"]] == ["D1", "D2", "D3", "D4", "D5", "overall"]


def test_a_broken_file_in_a_folder_is_reported_with_its_line_and_the_rest_still_rendered(tmp_path: Path) -> None:
    peer(tmp_path, "a-good")
    broken = tmp_path / "b-broken.yaml"
    broken.write_text("appraise: 1\nchecklist: {id: peer-support}\nanswers:\n  A2: rtc\n", encoding="utf-8")
    out = tmp_path / "out" / "summary.html"
    result = run("summary", str(tmp_path), "-o", str(out))
    assert result.returncode == 1
    assert f"{broken}:4:7: A2 has no answer 'rtc'" in result.stderr and "Traceback" not in result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Okafor 2020 – Readmission within 12 months" in html and "b-broken.yaml:4:7" in html


def test_a_foreign_yaml_file_is_named_and_left_out(tmp_path: Path) -> None:
    peer(tmp_path, "a-good")
    (tmp_path / "notes.yaml").write_text("todo: [read more]\n", encoding="utf-8")
    result = invoke(str(tmp_path), "-f", "md")
    assert result.exit_code == 1
    assert f"{tmp_path / 'notes.yaml'}:1:1: not an appraisal file" in result.stderr
    assert "Okafor 2020" in result.stdout


def test_nothing_readable_exits_1_without_output(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("todo: 1\n", encoding="utf-8")
    result = invoke(str(tmp_path))
    assert result.exit_code == 1 and result.stdout == "" and "nothing to summarise" in result.stderr


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run("summary", str(tmp_path / "nope"))
    assert result.returncode == 2 and "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_an_unknown_format_is_a_usage_error(pathways: Path) -> None:
    assert invoke(str(pathways), "-f", "pdf").exit_code == 2


def test_the_format_follows_the_output_suffix(pathways: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    assert invoke(str(pathways), "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["appraisals"] == 1


def test_a_study_without_outcomes_is_one_row_not_yet_judged_per_outcome(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_text("appraise: 1\nchecklist: {id: peer-support}\nstudy: {title: Brand new}\n", encoding="utf-8")
    rows = summarise(path)["groups"][0]["rows"]
    assert len(rows) == 1 and rows[0]["label"] == "Brand new"
    assert rows[0]["judgements"]["E"]["concern"] == "none"


# --- figures ----------------------------------------------------------------------------------------


def test_html_of_100_studies_shows_every_label_horizontally_with_a_full_legend(tmp_path: Path) -> None:
    for i in range(100):
        peer(
            tmp_path,
            f"s{i:03d}",
            authors=f"Author{i:03d}-Quillby-Brightwater M",
            outcomes=[("Hope", "recovery", "benefit")],
        )
    html = render(summarise(tmp_path), "html")
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" class="traffic-light"') :]
    svg = svg[: svg.index("</svg>")]
    for i in range(100):
        assert f">Author{i:03d}-Quillby-Brightwater 2020 – Hope</text>" in svg
    assert "rotate" not in html and "writing-mode" not in html
    height = int(re.search(r'height="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    assert height >= 100 * 26  # the figure grows with the studies instead of squeezing them
    for word in ("low concern", "some concern", "high concern"):  # peer-support's levels
        assert f">{word}</text>" in svg


def test_figure_legends_list_the_instruments_levels_even_when_no_study_reached_them(pathways: Path) -> None:
    data = summarise(pathways)
    html, md = render(data, "html"), render(data, "md")
    bars = html.split('class="summary-bars"')[1].split("</svg>")[0]
    assert ">critical concern</text>" in bars  # peer-support's "very low confidence", reached or not
    for word in WORDS.values():
        assert word in md.split("Legend:")[1].splitlines()[0]


def test_a_rob2_figure_legend_never_shows_critical(tmp_path: Path) -> None:
    html = render(summarise(DATA / "rob2-complete.yaml"), "html")
    for figure in ("traffic-light", "summary-bars"):
        svg = html.split(f'class="{figure}"')[1].split("</svg>")[0]
        assert ">high concern</text>" in svg and ">some concern</text>" in svg  # levels RoB 2 has, unreached
        assert "critical concern" not in svg and "not applicable" not in svg


def test_html_is_one_self_contained_page(pathways: Path) -> None:
    html = render(summarise(pathways), "html")
    assert html.startswith("<!doctype html>") and "<style>" in html and "<svg" in html
    assert "<script" not in html and "<link" not in html and "src=" not in html and "@import" not in html
    assert not re.search(r'href="(?!#)', html)


def test_every_traffic_light_cell_has_a_glyph(pathways: Path) -> None:
    html = render(summarise(pathways), "html")
    svg = html.split('class="traffic-light"')[1].split("</svg>")[0]
    defs = re.findall(r'<g id="tl1-(\w+)">.*?>(.)</text></g>', svg)
    assert dict(defs) == {"low": "+", "some": "−", "high": "×", "critical": "!", "none": "?", "na": "·"}
    assert svg.count("<use ") == 2 * 8  # two rows, eight columns: a dot (and its glyph) in every cell


def test_every_row_shows_its_own_judgements_where_rows_share_drawn_cells(tmp_path: Path) -> None:
    # Rows with the same judgements, and rows that share only some cells, are drawn from shared drawings.
    peer(tmp_path, "a", authors="Adams A")
    peer(tmp_path, "b", authors="Brown B", overrides={"C": "major_concerns"})
    peer(tmp_path, "c", authors="Clark C")
    peer(tmp_path, "d", authors="Dunn D", overrides={"C": "major_concerns", "overall:readmission": "low"})
    data = summarise(tmp_path)
    group = data["groups"][0]
    ids = [c["id"] for c in group["columns"]]
    cells = [[r["judgements"][i] for i in ids] for r in group["rows"]]
    expected = [[(j["glyph"], j["label"], j["overridden"]) for j in row] for row in cells]
    assert len({tuple(row) for row in expected}) == 4  # four patterns among the eight rows, sharing cells

    html = render(data, "html")
    table = html.split('<table class="grid judgements">')[1].split("</table>")[0]
    cell = r'<td[^>]*><b [^>]*>(.)</b> ([^<]+?)( <span class="reviewer">†</span>)?</td>'
    rows = [re.findall(cell, tr) for tr in re.findall(r'<tr><th scope="row".*?</tr>', table)]
    assert [[(g, unescape(label), bool(mark)) for g, label, mark in row] for row in rows] == expected

    md = render(data, "md")
    lines = [line for line in md.splitlines() if line.startswith(("| Adams", "| Brown", "| Clark", "| Dunn"))]
    shown = [[c.strip() for c in line.strip("|").split("|")[1:]] for line in lines]
    assert shown == [
        [f"{g} {markdown_text(label)}{' †' if mark else ''}" for g, label, mark in row] for row in expected
    ]

    svg = html.split('class="traffic-light"')[1].split("</svg>")[0]
    drawn = re.findall(r'<g class="row".*?</g>', svg)
    assert [re.findall(r'<use href="#tl1-(\w+)"', row) for row in drawn] == [[j["concern"] for j in r] for r in cells]
    assert [row.count("†") for row in drawn] == [sum(mark for *_, mark in row) for row in expected]


def test_colourblind_palette_changes_the_colours(pathways: Path) -> None:
    data = summarise(pathways, palette="colourblind")
    html = render(data, "html")
    assert PALETTES["colourblind"]["low"] in html and PALETTES["cochrane"]["low"] not in html


def test_summary_bars_are_weighted_by_each_files_weight(tmp_path: Path) -> None:
    peer(tmp_path, "a", weight=3, outcomes=[("Hope", "recovery", "benefit")], overrides={"B": "poor"})
    peer(tmp_path, "b", weight=1, outcomes=[("Hope", "recovery", "benefit")])
    shares = {s["section"]: s["shares"] for s in summarise(tmp_path, weighted=True)["groups"][0]["shares"]}
    assert shares["B"]["high"] == pytest.approx(0.75) and shares["B"]["low"] == pytest.approx(0.25)
    unweighted = {s["section"]: s["shares"] for s in summarise(tmp_path)["groups"][0]["shares"]}
    assert unweighted["B"]["high"] == pytest.approx(0.5)


def test_weighted_summary_leaves_out_a_file_without_a_weight_and_names_it(tmp_path: Path) -> None:
    peer(tmp_path, "a", weight=3)
    missing = peer(tmp_path, "b")
    result = invoke(str(tmp_path), "--weighted", "-f", "md")
    assert result.exit_code == 1
    assert f"{missing}:2:1: no 'weight'" in result.stderr
    assert "Okafor 2020" in result.stdout


def test_a_weight_that_is_not_a_number_is_a_warning_when_not_weighting(tmp_path: Path) -> None:
    path = peer(tmp_path, "a", weight="heavy")
    result = invoke(str(path), "-f", "md")
    assert result.exit_code == 0 and "warning: weight 'heavy' is not a number" in result.stderr


# --- text from files ----------------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> [b]x[/b] | # \x1b[31mred'


def test_html_escapes_text_from_files_and_shows_control_characters(tmp_path: Path) -> None:
    path = peer(tmp_path, "hostile", authors="", year="", title=HOSTILE)  # the label is then the title
    html = render(summarise(path), "html")
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "\x1b" not in html and "␛[31mred" in html


def test_markdown_escapes_text_from_files(tmp_path: Path) -> None:
    path = peer(tmp_path, "hostile", authors="", year="", title=HOSTILE)
    md = render(summarise(path), "md")
    assert "\x1b" not in md and "<script>" not in md and "\\<script\\>" in md and "\\|" in md


def test_long_csv_has_one_row_per_question_with_its_support_kept_literally(tmp_path: Path) -> None:
    note = 'Said "yes", then\nlater: no; =SUM(A1) \x1b[2J'
    path = peer(tmp_path, "noted", note=note)
    result = invoke(str(path), "-f", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(LONG_COLUMNS)
    assert len(rows) == 31 + 2 * 10  # study-level questions, and section E for each of two outcomes
    a1 = next(r for r in rows if r["question"] == "A1")
    assert a1["note"] == a1["quote"] == note.replace("\x1b", "␛")
    assert (a1["answer"], a1["answer_label"], a1["page"]) == ("Y", "Yes", "3")
    assert (a1["proposed"], a1["judgement"], a1["instrument"], a1["version"]) == (
        "proceed",
        "proceed",
        "peer-support",
        "2",
    )
    e4 = [r for r in rows if r["question"] == "E4"]
    assert [r["outcome"] for r in e4] == ["Readmission within 12 months", "QPR-15 at 4 months"]


def test_long_csv_marks_questions_not_asked(tmp_path: Path) -> None:
    path = peer(tmp_path, "nrs")
    appraisal, _ = read_appraisal(path)
    appraisal.answers["A2"] = Answer(answer="non_randomised")
    write_appraisal(path, appraisal)
    rows = list(csv.DictReader(io.StringIO(invoke(str(path), "-f", "csv").stdout)))
    e1 = next(r for r in rows if r["question"] == "E1")
    assert (e1["answer"], e1["answer_label"]) == ("NA", "Not asked")


def test_json_has_groups_rows_robvis_evidence_map_and_answers(pathways: Path) -> None:
    data = json.loads(invoke(str(pathways), "-f", "json").stdout)
    group = data["groups"][0]
    assert group["checklist"]["id"] == "peer-support" and group["per_outcome"] is True
    assert group["rows"][0]["judgements"]["overall"]["judgement"] == "moderate"
    assert group["robvis"]["header"][0] == "Study" and len(group["robvis"]["rows"]) == 2
    assert group["evidence_map"]["outcomes"] == 2
    assert len(data["answers"]) == 51 and data["summary"]["skipped"] == []
    assert "glyph" not in json.dumps(data)  # colours and glyphs are presentation, not data


# --- evidence map -------------------------------------------------------------------------------------


def test_evidence_map_counts_outcomes_by_type_finding_and_confidence(tmp_path: Path) -> None:
    peer(tmp_path, "a", outcomes=[("Hope", "recovery", "benefit"), ("Readmission", "service_use", "no_difference")])
    peer(tmp_path, "b", outcomes=[("Hope", "recovery", "benefit")], overrides={"overall@o0": "low"})
    emap = summarise(tmp_path)["groups"][0]["evidence_map"]
    recovery = next(t for t in emap["types"] if t["type"] == "recovery")
    benefit = next(c for c in recovery["findings"] if c["finding"] == "benefit")
    assert benefit["total"] == 2 and benefit["confident"] == 1
    assert {level["code"]: level["count"] for level in benefit["levels"]} == {"moderate": 1, "low": 1}
    service = next(t for t in emap["types"] if t["type"] == "service_use")
    assert [c["total"] for c in service["findings"]] == [0, 1, 0, 0]


def test_evidence_map_sentence_says_how_few_benefits_are_trustworthy(tmp_path: Path) -> None:
    peer(tmp_path, "a", outcomes=[("Hope", "recovery", "benefit")])  # moderate confidence
    peer(tmp_path, "b", outcomes=[("Hope", "recovery", "benefit")], overrides={"overall@o0": "low"})
    peer(tmp_path, "c", outcomes=[("Hope", "recovery", "benefit")], overrides={"overall@o0": "very_low"})
    peer(tmp_path, "d", outcomes=[("Hope", "recovery", "no_difference")])
    emap = summarise(tmp_path)["groups"][0]["evidence_map"]
    sentences = {t["type"]: t["sentence"] for t in emap["types"]}
    assert sentences["recovery"] == (
        "Personal recovery outcomes: 3 of 4 show benefit, but only 1 with moderate or high confidence; 1 no difference."
    )
    assert sentences["clinical"] == "Clinical outcomes: none appraised."


def test_evidence_map_is_drawn_in_the_html(pathways: Path) -> None:
    html = render(summarise(pathways), "html")
    assert 'class="evidence-map"' in html and "Service use outcomes: 1 of 1 shows no difference" not in html
    # The QPR signal is a secondary outcome: exploratory, low confidence at most.
    assert "Personal recovery outcomes: 1 of 1 shows benefit, none with moderate or high confidence." in html


def test_large_inputs_read_in_parallel_give_the_same_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(12):
        peer(tmp_path, f"s{i:02d}", authors=f"Author{i:02d} A")
    files = sorted(tmp_path.glob("*.yaml"))
    one = collect(files, jobs=1)
    monkeypatch.setattr("appraise.reports.collect.PARALLEL_FROM", 2)
    many = collect(files, jobs=2)
    assert [s.study["label"] for s in many.studies] == [s.study["label"] for s in one.studies]
    assert build_summary(many)["groups"][0]["rows"] == build_summary(one)["groups"][0]["rows"]


def test_the_summary_command_reads_many_files_in_workers_and_writes_what_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from appraise.reports.collect import PARALLEL_FROM

    folder = tmp_path / "review"
    first = peer(folder, "s000")
    for i in range(1, PARALLEL_FROM + 10):  # enough files to read for the command to use its workers
        (folder / f"s{i:03d}.yaml").write_text(
            first.read_text(encoding="utf-8").replace("Okafor C", f"Okafor{i:03d} C"), encoding="utf-8"
        )
    outputs = []
    for jobs in ("1", ""):  # one process, then the command's own choice (one worker per CPU)
        monkeypatch.setenv("APPRAISE_SUMMARY_JOBS", jobs)
        monkeypatch.setenv("APPRAISE_DATA_DIR", str(tmp_path / f"data{jobs}"))  # each run cold
        result = run("summary", str(folder), "-f", "csv")
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] and outputs[0].count("Okafor") > PARALLEL_FROM


def test_a_long_csv_on_standard_output_is_the_file_and_shows_no_raw_carriage_return(
    tmp_path: Path, data_dir: Path
) -> None:
    source = (Path(__file__).parent.parent / "data" / "pathways-home.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "review"
    folder.mkdir()
    for i in range(40):  # ~100 kB of CSV: written in more than one run
        note = json.dumps(f"note {i}: " + "words " * 40 + ("a stray\rreturn" if i == 7 else ""))
        (folder / f"study-{i:02d}.yaml").write_text(
            source.replace('  A1: "Y"', f'  A1: {{answer: "Y", note: {note}}}'), encoding="utf-8"
        )
    printed = CliRunner().invoke(cli, ["summary", str(folder), "-f", "csv"])
    written = CliRunner().invoke(cli, ["summary", str(folder), "-f", "csv", "-o", str(tmp_path / "s.csv")])
    assert printed.exit_code == 0 and written.exit_code == 0
    text = (tmp_path / "s.csv").read_text(encoding="utf-8")
    assert printed.stdout == text and len(text) > 2**16
    assert "\r" not in text and "a stray" in text


def test_rows_that_repeat_a_pattern_of_judgements_each_show_their_own(tmp_path: Path) -> None:
    # Rows with the same judgements share one drawing of their cells: a different row must not get it.
    for name, overrides in (("a", {}), ("b", {"B": "poor"}), ("c", {}), ("d", {"B": "poor"})):
        peer(tmp_path, name, year=f"20{ord(name)}", overrides=overrides)
    html = render(summarise(tmp_path), "html")
    svg = html.split('class="traffic-light"')[1].split("</svg>")[0]
    lights = re.findall(r'<g class="row".*?</g>', svg)
    b_column = [re.findall(r'href="#tl1-(\w+)"', row)[2] for row in lights]  # A, then B (each href twice)
    expected = [j for j in ("low", "high", "low", "high") for _ in range(2)]  # two outcomes a study
    assert b_column == expected
    table = html.split('class="grid judgements"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><th scope=\"row\".*?</tr>", table)
    b_cells = [re.findall(r'class="chip c-(\w+)"', row)[1] for row in rows]
    assert b_cells == expected
    assert [row.count("reviewer’s judgement") for row in rows] == [int(j == "high") for j in expected]
