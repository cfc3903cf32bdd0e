"""robvis export: exactly the table robvis reads (shared/domain/instruments.md §4), or a clear refusal."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import get_args

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.core.appraisal import Override
from appraise.core.checklist import RobvisTemplate
from appraise.files.checklists import load_checklist, load_checklist_file, parse_checklist
from appraise.files.store import read_appraisal, write_appraisal
from appraise.files.yamlio import FileProblems, read_document
from appraise.reports.robvis import TEMPLATES

DATA = Path(__file__).parent.parent / "data"
ROOT = Path(__file__).parent.parent.parent

ROB2_LABELS = set(TEMPLATES["ROB2"].labels)
GENERIC_LABELS = set(TEMPLATES["Generic"].labels)


def rob2(folder: Path, name: str, **answers: str) -> Path:
    """The complete RoB 2 fixture (all low) with some answers changed, saved under ``name``."""
    appraisal, _ = read_appraisal(DATA / "rob2-complete.yaml")
    for qid, code in answers.items():
        appraisal.answers[qid.replace("_", ".")].answer = code
    path = folder / f"{name}.yaml"
    write_appraisal(path, appraisal)
    return path


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def export(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["summary", *args, "-f", "robvis"])
    return result.exit_code, result.stdout, result.stderr


def test_rob2_table_has_robvis_header_seven_columns_and_full_labels(tmp_path: Path) -> None:
    rob2(tmp_path, "a-low")
    rob2(tmp_path, "b-high-measurement", **{"4_1": "Y"})
    code, out, err = export(str(tmp_path))
    assert code == 0, err
    assert out.splitlines()[0] == "Study,D1,D2,D3,D4,D5,Overall"
    rows = rows_of(out)
    assert all(len(row) == 7 for row in rows)
    assert rows[1] == ["Okafor 2021", "Low", "Low", "Low", "Low", "Low", "Low"]
    assert rows[2] == ["Okafor 2021 (2)", "Low", "Low", "Low", "High", "Low", "High"]
    assert {cell for row in rows[1:] for cell in row[1:]} <= ROB2_LABELS


def test_rob2_table_writes_the_reviewers_final_judgement(tmp_path: Path) -> None:
    path = rob2(tmp_path, "overridden")
    appraisal, _ = read_appraisal(path)
    appraisal.overrides["overall"] = Override(judgement="some_concerns", reason="several minor issues together")
    write_appraisal(path, appraisal)
    _, out, _ = export(str(path))
    assert rows_of(out)[1][-1] == "Some concerns"


def test_peer_support_table_uses_named_generic_columns_with_labels_of_concern(pathways: Path) -> None:
    code, out, err = export(str(pathways))
    assert code == 0, err
    rows = rows_of(out)
    assert (
        out.splitlines()[0]
        == "Study,Intervention definition,Comparator,Outcome fit,Risk of bias,Interpretation,Overall"
    )
    assert all(len(row) == 7 for row in rows)
    assert rows[1] == [
        "Fenwick-Tarrant 2024 – Readmission within 12 months",
        "Low",  # B clearly defined: a low concern
        "Some concerns",
        "Some concerns",
        "Low",
        "Low",
        "Some concerns",  # moderate confidence
    ]
    assert rows[2][0] == "Fenwick-Tarrant 2024 – QPR-15 at 4 months"
    assert {cell for row in rows[1:] for cell in row[1:]} <= GENERIC_LABELS


def test_very_low_confidence_is_written_as_critical(pathways: Path) -> None:
    appraisal, _ = read_appraisal(pathways)
    appraisal.overrides["overall@readmission"] = Override(judgement="very_low", reason="test")
    write_appraisal(pathways, appraisal)
    assert rows_of(export(str(pathways))[1])[1][-1] == "Critical"


def test_incomplete_judgement_is_refused_naming_the_study_and_section(tmp_path: Path) -> None:
    path = rob2(tmp_path, "open")
    appraisal, _ = read_appraisal(path)
    del appraisal.answers["3.1"]
    write_appraisal(path, appraisal)
    out = tmp_path / "rob.csv"
    code, _, err = export(str(path), "-o", str(out))
    assert code == 1
    assert "Okafor 2021: Missing data (D3) has no judgement yet" in err and "--allow-incomplete" in err
    assert not out.exists()


def test_allow_incomplete_writes_no_information_in_full(tmp_path: Path) -> None:
    path = rob2(tmp_path, "open")
    appraisal, _ = read_appraisal(path)
    del appraisal.answers["3.1"]
    write_appraisal(path, appraisal)
    code, out, _ = export(str(path), "--allow-incomplete")
    assert code == 0
    assert rows_of(out)[1][3] == "No information"
    assert "NI" not in out.split(",")


def test_weighted_table_ends_with_a_numeric_weight_column(tmp_path: Path) -> None:
    code, out, _ = export(str(DATA / "rob2-complete.yaml"), "--weighted")
    assert code == 0
    rows = rows_of(out)
    assert rows[0] == ["Study", "D1", "D2", "D3", "D4", "D5", "Overall", "Weight"]
    assert rows[1][-1] == "12.5" and len(rows[1]) == 8


def test_checklist_without_a_mapping_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    path.write_text("appraise: 1\nchecklist: {id: amstar2}\nstudy: {title: A review}\n", encoding="utf-8")
    code, out, err = export(str(path))
    assert code == 1 and out == ""
    assert "checklist amstar2 has no robvis mapping" in err and "'robvis:'" in err


def test_mixed_checklists_write_one_file_per_checklist(tmp_path: Path, pathways: Path) -> None:
    rob2(tmp_path, "trial")
    out = tmp_path / "figures" / "rob.csv"
    code, _, err = export(str(pathways), str(tmp_path / "trial.yaml"), "-o", str(out))
    assert code == 0, err
    assert rows_of((tmp_path / "figures" / "rob-peer-support.csv").read_text(encoding="utf-8"))[0][1] == (
        "Intervention definition"
    )
    assert (
        (tmp_path / "figures" / "rob-rob2.csv").read_text(encoding="utf-8").startswith("Study,D1,D2,D3,D4,D5,Overall\n")
    )
    assert not out.exists()


def test_mixed_checklists_to_standard_output_is_a_usage_error(tmp_path: Path, pathways: Path) -> None:
    rob2(tmp_path, "trial")
    code, _, err = export(str(pathways), str(tmp_path / "trial.yaml"))
    assert code == 2 and "give -o OUT" in err


@pytest.mark.parametrize("checklist_id", ["rob2", "rob2-adhering", "rob2-cluster", "peer-support"])
def test_bundled_checklists_declare_a_robvis_mapping(checklist_id: str) -> None:
    mapping = load_checklist(checklist_id).robvis
    assert mapping is not None and list(mapping.columns)[-1] == "overall"


CLUSTER_LOW = {
    **{q: "Y" for q in ("1a.1", "1a.2", "2.6", "3.1", "5.1")},
    **{q: "N" for q in ("1a.3", "2.1", "2.2", "4.1", "4.2", "4.3", "5.2", "5.3")},
}


def cluster_appraisal(folder: Path, name: str, study: str, answers: dict[str, str]) -> Path:
    """A rob2-cluster appraisal file written by hand, as a reviewer would."""
    lines = [
        "appraise: 1",
        'checklist: {id: rob2-cluster, version: "1"}',
        f'study: {{title: "{study} (fictional)", authors: "{study.split()[0]} A", year: "{study.split()[-1]}"}}',
        "reviewer: Sam",
        "answers:",
        *[f'  "{qid}": "{code}"' for qid, code in answers.items()],
    ]
    path = folder / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_rob2_cluster_exports_robvis_rob2_cluster_table_with_domain_1b(tmp_path: Path) -> None:
    cluster_appraisal(tmp_path, "a", "Achebe 2022", {**CLUSTER_LOW, "1b.1": "Y"})
    # People recruited after their team was allocated, by staff who knew: D1b high, overall high.
    cluster_appraisal(tmp_path, "b", "Brandt 2023", {**CLUSTER_LOW, "1b.1": "N", "1b.2": "PY"})
    code, out, err = export(str(tmp_path))
    assert code == 0, err
    rows = rows_of(out)
    assert rows[0] == ["Study", "D1", "D1b", "D2", "D3", "D4", "D5", "Overall"]
    assert rows[1] == ["Achebe 2022", "Low", "Low", "Low", "Low", "Low", "Low", "Low"]
    assert rows[2] == ["Brandt 2023", "Low", "High", "Low", "Low", "Low", "Low", "High"]
    assert {cell for row in rows[1:] for cell in row[1:]} <= set(TEMPLATES["ROB2-Cluster"].labels)


def test_rob2_cluster_export_names_domain_1b_when_it_is_unfinished(tmp_path: Path) -> None:
    cluster_appraisal(tmp_path, "c", "Chen 2024", {**CLUSTER_LOW, "1b.1": "N"})
    code, _, err = export(str(tmp_path))
    assert code == 1
    assert "Chen 2024" in err and "(D1b)" in err and "--allow-incomplete" in err


def test_every_template_the_model_accepts_has_its_robvis_rules() -> None:
    assert set(TEMPLATES) == set(get_args(RobvisTemplate))


def test_rob2_adhering_maps_like_rob2() -> None:
    assert load_checklist("rob2-adhering").robvis == load_checklist("rob2").robvis


def test_robvis_mapping_survives_the_checklist_cache() -> None:
    from appraise.files import checklists

    first = load_checklist_file(ROOT / "checklists" / "peer-support.yaml")
    checklists._CACHE.clear()  # the next load is rebuilt from the on-disk cache, without validation
    again = load_checklist_file(ROOT / "checklists" / "peer-support.yaml")
    assert again is not first and again.robvis == first.robvis
    assert again.robvis is not None and again.robvis.label("overall", "very_low") == "Critical"


def broken_mapping(tmp_path: Path, old: str, new: str) -> list[str]:
    path = tmp_path / "my-rob2.yaml"
    shutil.copy(ROOT / "checklists" / "rob2.yaml", path)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        parse_checklist(read_document(path))
    return [str(p) for p in caught.value.problems]


def test_abbreviated_label_is_an_error_at_its_line(tmp_path: Path) -> None:
    problems = broken_mapping(tmp_path, "some_concerns: Some concerns, high: High}", "some_concerns: SC, high: High}")
    text = (tmp_path / "my-rob2.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(text, 1) if "some_concerns: SC" in row)
    assert any(
        p.startswith(f"{tmp_path / 'my-rob2.yaml'}:{line}:")
        and "robvis › labels › some_concerns: 'SC' is not a ROB2 label robvis accepts" in p
        for p in problems
    ), problems


def test_wrong_number_of_domains_for_the_template_is_an_error(tmp_path: Path) -> None:
    problems = broken_mapping(tmp_path, "D5: D5, overall: Overall}", "overall: Overall}")
    assert any("ROB2 template has 5 domain columns before 'overall'; this mapping has 4" in p for p in problems)


def test_unknown_section_in_columns_gets_a_suggestion(tmp_path: Path) -> None:
    problems = broken_mapping(tmp_path, "D5: D5, overall", "d5: D5, overall")
    assert any("no judged section 'd5'" in p and "did you mean 'D5'" in p for p in problems), problems


def test_judgement_without_a_label_is_an_error(tmp_path: Path) -> None:
    problems = broken_mapping(tmp_path, ", high: High}", "}")
    assert any("judgement(s) high have no robvis label" in p for p in problems)


def test_overall_must_be_the_last_column(tmp_path: Path) -> None:
    problems = broken_mapping(
        tmp_path,
        "{D1: D1, D2: D2, D3: D3, D4: D4, D5: D5, overall: Overall}",
        "{overall: Overall, D1: D1, D2: D2, D3: D3, D4: D4, D5: D5}",
    )
    assert any("the last column must be 'overall'" in p for p in problems)


def test_unknown_template_is_an_error_with_the_choices(tmp_path: Path) -> None:
    problems = broken_mapping(tmp_path, "template: ROB2", "template: ROB3")
    assert any("'ROB3' is not allowed" in p and "did you mean 'ROB2'" in p for p in problems)
