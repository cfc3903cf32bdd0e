"""`appraise import`: one appraisal per RIS or BibTeX reference, duplicates skipped, nothing overwritten."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.checklists import load_checklist
from appraise.files.importing import import_references, normalise_doi, normalise_title, read_references
from appraise.files.store import load_appraisal

RIS = """\
TY  - JOUR
TI  - Peer support for leaving hospital (PATHWAYS-HOME): a multi-site randomised controlled trial
AU  - Fenwick-Tarrant, Marigold
AU  - Brightwater, Oluwaseun
PY  - 2024///
T2  - Journal of Imaginary Mental Health Research
VL  - 12
IS  - 3
SP  - 45
EP  - 67
DO  - https://doi.org/10.5555/PATH.2024
ER  -

TY  - JOUR
TI  - Hope and recovery: a pilot trial of peer-led groups
AU  - Okafor, Chidi
PY  - 2019
ER  -
"""

BIB = r"""
@article{muller2021,
  Title = {Peer workers in {Germany}: a {RCT}},
  author = {M{\"u}ller, Hans and {Barnes and Noble Collaborative} and Doe, Jane},
  date = {2021-03-01},
  journaltitle = {Psychiatr Prax},
  volume = {48}, number = {2}, pages = {101--108},
  doi = {10.5555/Mueller.2021},
}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def studies(folder: Path) -> dict[str, Any]:
    return {p.name: load_appraisal(p).appraisal.study for p in sorted(folder.glob("*.yaml"))}


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, ["import", *args])


def test_ris_import_creates_one_appraisal_per_reference_with_study_metadata(tmp_path: Path) -> None:
    refs = write(tmp_path, "refs.ris", RIS)
    result = import_references(refs, load_checklist("peer-support"), tmp_path / "out")
    assert len(result.created) == 2 and not result.skipped and not result.problems
    found = studies(tmp_path / "out")
    study = found["fenwick-tarrant-2024-peer-support-for-leaving-ho.yaml"]
    assert study.title.startswith("Peer support for leaving hospital (PATHWAYS-HOME)")
    assert study.authors == "Fenwick-Tarrant, Marigold; Brightwater, Oluwaseun"
    assert (study.year, study.doi) == ("2024", "10.5555/PATH.2024")
    assert study.citation == "Journal of Imaginary Mental Health Research. 2024;12(3):45-67"
    assert study.label == "Fenwick-Tarrant 2024"


def test_imported_appraisals_are_valid_and_use_the_chosen_checklist(tmp_path: Path) -> None:
    refs = write(tmp_path, "refs.ris", RIS)
    import_references(refs, load_checklist("rob2"), tmp_path / "out")
    for path in (tmp_path / "out").glob("*.yaml"):
        loaded = load_appraisal(path)
        assert loaded.checklist.id == "rob2" and not loaded.problems


def test_bibtex_import_decodes_latex_and_keeps_a_braced_group_author_whole(tmp_path: Path) -> None:
    refs = write(tmp_path, "refs.bib", BIB)
    import_references(refs, load_checklist("peer-support"), tmp_path / "out")
    (study,) = studies(tmp_path / "out").values()
    assert study.title == "Peer workers in Germany: a RCT"
    assert study.authors == "Müller, Hans; Barnes and Noble Collaborative; Doe, Jane"
    assert (study.year, study.doi, study.label) == ("2021", "10.5555/Mueller.2021", "Müller 2021")
    assert study.citation == "Psychiatr Prax. 2021;48(2):101-108"


def test_a_doi_seen_earlier_in_the_file_is_a_duplicate_whatever_its_case_or_prefix(tmp_path: Path) -> None:
    again = RIS + "TY  - JOUR\nTI  - Another title entirely\nDO  - 10.5555/path.2024\nER  - \n"
    result = import_references(write(tmp_path, "refs.ris", again), load_checklist("peer-support"), tmp_path / "out")
    assert len(result.created) == 2
    refs = tmp_path / "refs.ris"
    assert result.skipped == [
        f"{refs}:19: skipped 'Another title entirely': duplicate (same DOI as {refs}:1 "
        "(now fenwick-tarrant-2024-peer-support-for-leaving-ho.yaml))"
    ]


def test_a_matching_title_is_a_duplicate_when_a_doi_is_missing(tmp_path: Path) -> None:
    again = RIS + "TY  - JOUR\nTI  - HOPE AND RECOVERY — a pilot trial of peer led groups!\nPY  - 2019\nER  - \n"
    result = import_references(write(tmp_path, "refs.ris", again), load_checklist("peer-support"), tmp_path / "out")
    assert len(result.created) == 2 and "same title, year and first author as" in result.skipped[0]


def test_same_title_with_different_dois_is_not_a_duplicate(tmp_path: Path) -> None:
    twins = (
        "TY  - JOUR\nTI  - Peer support: a trial\nDO  - 10.1/a\nER  - \n"
        "TY  - JOUR\nTI  - Peer support: a trial\nDO  - 10.1/b\nER  - \n"
    )
    result = import_references(write(tmp_path, "refs.ris", twins), load_checklist("peer-support"), tmp_path / "out")
    assert len(result.created) == 2 and not result.skipped


def test_references_already_appraised_in_the_folder_are_skipped(tmp_path: Path) -> None:
    refs = write(tmp_path, "refs.ris", RIS)
    import_references(refs, load_checklist("peer-support"), tmp_path / "out")
    again = import_references(refs, load_checklist("peer-support"), tmp_path / "out")
    assert again.created == [] and len(again.skipped) == 2
    assert all("duplicate (same" in s and str(tmp_path / "out") in s for s in again.skipped)


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    mine = write(out, "okafor-2019-hope-and-recovery-a-pilot-trial-of-p.yaml", "# my own notes\n")
    result = import_references(write(tmp_path, "refs.ris", RIS), load_checklist("peer-support"), out)
    assert mine.read_text(encoding="utf-8") == "# my own notes\n"
    assert out / "okafor-2019-hope-and-recovery-a-pilot-trial-of-p-2.yaml" in result.created


def test_a_reference_without_an_end_tag_is_reported_with_its_line(tmp_path: Path) -> None:
    refs = write(tmp_path, "refs.ris", RIS + "TY  - JOUR\nTI  - Never finished\n")
    references, problems = read_references(refs)
    assert len(references) == 2
    assert [str(p) for p in problems] == [f"{refs}:19:1: reference has no end tag ('ER  - '); skipped"]


def test_a_broken_bibtex_entry_is_reported_with_its_line_and_the_rest_imported(tmp_path: Path) -> None:
    refs = write(tmp_path, "refs.bib", BIB + "\n@article{broken,\n  title = {Unclosed\n")
    result = invoke(str(refs), "-d", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"{refs}:11:1: BibTeX entry not read" in result.stderr
    assert "created 1 appraisal in" in result.stderr and "(1 could not be read)" in result.stderr
    assert len(list((tmp_path / "out").glob("*.yaml"))) == 1


def test_import_reports_what_it_created_and_skipped(tmp_path: Path) -> None:
    refs = write(tmp_path, "refs.ris", RIS)
    invoke(str(refs), "-d", str(tmp_path / "out"))
    result = invoke(str(refs), "-d", str(tmp_path / "out"), "-c", "rob2")
    assert result.exit_code == 0 and result.stdout == ""
    assert "created 0 appraisals in" in result.stderr and "skipped 2 references" in result.stderr


def test_import_prints_each_created_file(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, "refs.ris", RIS)), "-d", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"created {tmp_path / 'out' / 'fenwick-tarrant-2024-peer-support-for-leaving-ho.yaml'}",
        f"created {tmp_path / 'out' / 'okafor-2019-hope-and-recovery-a-pilot-trial-of-p.yaml'}",
    ]


def test_a_file_that_is_not_a_reference_format_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, "refs.docx", RIS)), "-d", str(tmp_path / "out"))
    assert result.exit_code == 2 and "expected a .ris, .bib, .nbib or Web of Science .txt file" in result.stderr


def test_an_unknown_checklist_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(str(write(tmp_path, "refs.ris", RIS)), "-c", "peer-suport", "-d", str(tmp_path))
    assert result.exit_code == 2 and "did you mean 'peer-support'" in result.stderr


def test_a_cp1252_file_is_imported_with_its_encoding_named(tmp_path: Path) -> None:
    refs = tmp_path / "refs.ris"
    refs.write_bytes(RIS.replace("Okafor", "Ökafor").encode("cp1252"))
    result = subprocess.run(
        [sys.executable, "-m", "appraise", "import", str(refs), "-d", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )
    assert result.returncode == 0 and "not UTF-8: read as" in result.stderr and "Traceback" not in result.stderr
    authors = [load_appraisal(p).appraisal.study.authors for p in (tmp_path / "out").glob("*.yaml")]
    assert any("Ökafor" in a for a in authors)


def test_dois_and_titles_are_compared_loosely() -> None:
    assert normalise_doi(" https://doi.org/10.5555/ABC ") == normalise_doi("doi:10.5555/abc") == "10.5555/abc"
    assert normalise_title("Hope & Recovery: a Pilot  Trial") == normalise_title("hope recovery — a pilot trial")
    assert normalise_title("Café") == normalise_title("cafe")
