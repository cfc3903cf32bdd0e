"""`appraise import CDxxxxxx-risk-of-bias.csv -d DIR`: a Cochrane data package's risk-of-bias file read in.

No sample package is reachable offline, so the files here follow the documented column shape:
`Study`, then `Domain (judgement): NAME` / `Domain (support): NAME`, RoB 1 names ending in
`: All outcomes`, support text that may hold HTML.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.store import load_appraisal
from appraise.reports.summary import build_summary, collect

ROB1 = [
    "Random sequence generation (selection bias)",
    "Allocation concealment (selection bias)",
    "Blinding of participants and personnel (performance bias)",
    "Blinding of outcome assessment (detection bias)",
    "Incomplete outcome data (attrition bias)",
    "Selective reporting (reporting bias)",
    "Other bias",
]
PUBLISHED = {
    "Alpha 2008": ["Low risk", "Unclear risk", "High risk", "Low risk", "Low risk", "Unclear risk", "Low risk"],
    "Beta 2012": ["High risk", "High risk", "High risk", "Unclear risk", "High risk", "Low risk", "Low risk"],
}
CODES = {"Low risk": "low", "Unclear risk": "unclear", "High risk": "high"}


def package(folder: Path, domains: list[str] = ROB1, suffix: str = ": All outcomes") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    head = ["Study"]
    for d in domains:
        head += [f"Domain (judgement): {d}{suffix}", f"Domain (support): {d}{suffix}"]
    path = folder / "CD012345-risk-of-bias.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(head)
        for study, judgements in PUBLISHED.items():
            row = [study]
            for i, judgement in enumerate(judgements):
                row += [judgement, "<p>Open label,<br/>peer workers knew &amp; said so</p>" if i == 2 else ""]
            writer.writerow(row)
    with (folder / "CD012345-data-rows.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["Analysis", "Study", "Weight"], ["1.1", "Alpha 2008", "60.5"]])
    return path


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_rob1_package_becomes_appraisals_whose_summary_matches_the_published_judgements(tmp_path: Path) -> None:
    result = invoke("import", str(package(tmp_path / "pkg")), "-d", str(tmp_path / "review"))
    assert result.exit_code == 0, result.output
    data = build_summary(collect([tmp_path / "review"]))
    group = data["groups"][0]
    assert group["checklist"]["id"] == "rob1"
    table = {r["study"]["label"]: [r["judgements"][f"D{i}"]["judgement"] for i in range(1, 8)] for r in group["rows"]}
    assert table == {study: [CODES[j] for j in judgements] for study, judgements in PUBLISHED.items()}
    assert not any(cell["overridden"] for r in group["rows"] for cell in r["judgements"].values())


def test_support_text_loses_its_html_and_weights_come_from_the_data_rows(tmp_path: Path) -> None:
    invoke("import", str(package(tmp_path / "pkg")), "-d", str(tmp_path / "review"))
    alpha = load_appraisal(tmp_path / "review" / "alpha-2008.yaml").appraisal
    assert alpha.answers["D3.support"].answer == "Open label,\npeer workers knew & said so"
    assert float((alpha.model_extra or {})["weight"]) == 60.5


def test_rob2_domain_names_choose_rob2_and_keep_the_published_judgement_with_its_support(tmp_path: Path) -> None:
    rob2 = [
        "Bias arising from the randomisation process",
        "Bias due to deviations from the intended interventions",
        "Bias due to missing outcome data",
        "Bias in measurement of the outcome",
        "Bias in selection of the reported result",
        "Overall risk of bias",
    ]
    path = package(tmp_path / "pkg", rob2, suffix="")
    text = path.read_text(encoding="utf-8").replace("Unclear risk", "Some concerns")
    path.write_text(text, encoding="utf-8")
    assert invoke("import", str(path), "-d", str(tmp_path / "review")).exit_code == 0
    beta = load_appraisal(tmp_path / "review" / "beta-2012.yaml").appraisal
    assert beta.checklist.id == "rob2" and beta.overrides["D1"].judgement == "high"
    alpha = load_appraisal(tmp_path / "review" / "alpha-2008.yaml").appraisal
    assert alpha.overrides["D3"].reason == "Open label,\npeer workers knew & said so"


def test_unknown_domains_need_the_checklist_named(tmp_path: Path) -> None:
    path = package(tmp_path / "pkg", ["Something else entirely"])
    result = invoke("import", str(path), "-d", str(tmp_path / "review"))
    assert result.exit_code == 2 and "give the checklist with -c" in result.output


def test_a_judgement_the_tool_does_not_have_is_reported_with_its_row_and_column(tmp_path: Path) -> None:
    path = package(tmp_path / "pkg")
    path.write_text(path.read_text(encoding="utf-8").replace("Beta 2012,High risk", "Beta 2012,Very high"), "utf-8")
    result = invoke("import", str(path), "-d", str(tmp_path / "review"))
    assert result.exit_code == 1 and ":3:2: Beta 2012: 'Very high' is not a judgement of D1" in result.output


def test_rob1_proposes_nothing_and_reports_the_reviewers_judgement_with_its_support(tmp_path: Path) -> None:
    import appraise

    checklist = appraise.load_checklist("rob1")
    assert [s.id for s in checklist.sections] == [f"D{i}" for i in range(1, 8)]
    assert all(s.method == "appraiser" for s in checklist.sections)
    assert [j.code for j in checklist.sections[0].judgements] == ["low", "unclear", "high"]
    invoke("import", str(package(tmp_path / "pkg")), "-d", str(tmp_path / "review"))
    report = invoke("report", str(tmp_path / "review" / "alpha-2008.yaml")).output
    assert "High risk of bias" in report and "peer workers knew" in report
    import json

    data = json.loads(invoke("report", str(tmp_path / "review" / "alpha-2008.yaml"), "-f", "json").output)
    d1 = next(s for s in data["sections"] if s["id"] == "D1")
    assert (d1["state"], d1["proposed"], d1["judgement"]) == ("appraiser", None, "low")  # the reviewer's, by design
