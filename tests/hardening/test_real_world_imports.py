"""Reference exports as they come from real tools: each imports, or is refused with a clear message."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from appraise.cli import cli
from appraise.files.checklists import load_checklist
from appraise.files.importing import import_references
from appraise.files.store import load_appraisal


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def studies(folder: Path) -> list[dict[str, str]]:
    return sorted(
        (load_appraisal(p).appraisal.study.model_dump() for p in folder.glob("*.yaml")), key=lambda s: s["title"]
    )


def run_import(path: Path, folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["import", str(path), "-d", str(folder)])
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit))
    return result.exit_code, result.output


def test_endnote_ris_with_one_space_after_ty_imports(tmp_path: Path) -> None:
    path = write(
        tmp_path, "endnote.ris", "TY - JOUR\nTI - Peer mentors after discharge\nAU - Doe, Jane\nPY - 2021\nER - \n"
    )
    code, _ = run_import(path, tmp_path / "out")
    assert code == 0 and [s["title"] for s in studies(tmp_path / "out")] == ["Peer mentors after discharge"]


def test_ris_without_a_ty_line_imports(tmp_path: Path) -> None:
    path = write(tmp_path, "no-ty.ris", "TI  - Recovery colleges\nAU  - Roe, Sam\nPY  - 2019\nER  - \n")
    code, _ = run_import(path, tmp_path / "out")
    assert code == 0 and [s["title"] for s in studies(tmp_path / "out")] == ["Recovery colleges"]


def test_an_empty_ris_file_is_a_clear_message(tmp_path: Path) -> None:
    code, out = run_import(write(tmp_path, "empty.ris", ""), tmp_path / "out")
    assert code == 1 and "no RIS references found" in out


def test_utf16_ris_imports(tmp_path: Path) -> None:
    path = write(tmp_path, "u16.ris", "TY  - JOUR\nTI  - Álvarez-Núñez on peer work\nPY  - 2020\nER  - \n", "utf-16")
    code, _ = run_import(path, tmp_path / "out")
    assert code == 0 and studies(tmp_path / "out")[0]["title"] == "Álvarez-Núñez on peer work"


def test_short_title_only_and_ja_journal_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "st.ris", "TY  - JOUR\nST  - Peer support short\nJA  - J Ment Health\nPY  - 2018\nER  - \n")
    run_import(path, tmp_path / "out")
    (study,) = studies(tmp_path / "out")
    assert study["title"] == "Peer support short" and study["citation"].startswith("J Ment Health")


NBIB = """\
PMID- 31234567
TI  - Peer support for people with severe mental illness: a randomised
      controlled trial.
FAU - Kowalski, Anna
AU  - Kowalski A
DP  - 2019 Mar
JT  - Journal of Mental Health
VI  - 28
IP  - 2
PG  - 101-109
LID - 10.1000/jmh.2019.1 [doi]

PMID- 31234568
TI  - Another study.
FAU - Smith, John
DP  - 2020
JT  - BMJ
"""


def test_pubmed_nbib_imports_with_continued_titles_and_dois(tmp_path: Path) -> None:
    code, _ = run_import(write(tmp_path, "pubmed.nbib", NBIB), tmp_path / "out")
    found = studies(tmp_path / "out")
    assert code == 0 and [s["title"] for s in found] == [
        "Another study.",
        "Peer support for people with severe mental illness: a randomised controlled trial.",
    ]
    assert found[1]["doi"] == "10.1000/jmh.2019.1" and found[1]["year"] == "2019"


WOS = """\
FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Okafor, C
   Lindqvist, A
TI Peer workers in crisis teams: a
   cluster trial
SO PSYCHIATRIC SERVICES
PY 2022
VL 73
BP 12
EP 19
DI 10.1176/appi.ps.2022
ER

EF
"""


def test_web_of_science_tagged_txt_imports(tmp_path: Path) -> None:
    code, _ = run_import(write(tmp_path, "savedrecs.txt", WOS), tmp_path / "out")
    (study,) = studies(tmp_path / "out")
    assert code == 0 and study["title"] == "Peer workers in crisis teams: a cluster trial"
    assert study["doi"] == "10.1176/appi.ps.2022" and "Okafor" in study["authors"]


def test_a_wos_export_renamed_ris_imports(tmp_path: Path) -> None:
    code, _ = run_import(write(tmp_path, "savedrecs.ris", WOS), tmp_path / "out")
    assert code == 0 and len(studies(tmp_path / "out")) == 1


def test_personal_communications_by_different_people_are_not_duplicates(tmp_path: Path) -> None:
    refs = (
        "TY  - PCOMM\nTI  - Personal communication\nAU  - Doe, Jane\nPY  - 2020\nER  - \n"
        "TY  - PCOMM\nTI  - Personal communication\nAU  - Roe, Sam\nPY  - 2020\nER  - \n"
    )
    result = import_references(write(tmp_path, "pc.ris", refs), load_checklist("peer-support"), tmp_path / "out")
    assert len(result.created) == 2 and not result.skipped


def test_a_conference_paper_and_its_later_journal_version_are_two_references(tmp_path: Path) -> None:
    refs = (
        "TY  - CONF\nTI  - Peer support at discharge\nAU  - Doe, Jane\nPY  - 2019\nER  - \n"
        "TY  - JOUR\nTI  - Peer support at discharge.\nAU  - Doe, Jane\nPY  - 2020\nER  - \n"
    )
    result = import_references(write(tmp_path, "c.ris", refs), load_checklist("peer-support"), tmp_path / "out")
    assert len(result.created) == 2


def test_a_near_identical_title_same_year_and_author_is_a_duplicate(tmp_path: Path) -> None:
    refs = (
        "TY  - JOUR\nTI  - Peer support at discharge: a randomised trial\nAU  - Doe, Jane\nPY  - 2020\nER  - \n"
        "TY  - JOUR\nTI  - Peer support at discharge - a randomized trial\nAU  - Doe, J.\nPY  - 2020\nER  - \n"
    )
    result = import_references(write(tmp_path, "d.ris", refs), load_checklist("peer-support"), tmp_path / "out")
    assert len(result.created) == 1 and "duplicate" in result.skipped[0]


def test_an_interrupted_import_resumes_without_duplicates(tmp_path: Path) -> None:
    refs = write(
        tmp_path, "r.ris", "TY  - JOUR\nTI  - One\nPY  - 2020\nER  - \nTY  - JOUR\nTI  - Two\nPY  - 2020\nER  - \n"
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "left-by-an-old-kill.yaml").write_text("", encoding="utf-8")  # what a kill used to leave
    (out / ".import-abc.tmp").write_text("half", encoding="utf-8")
    first = import_references(refs, load_checklist("peer-support"), out)
    again = import_references(refs, load_checklist("peer-support"), out)
    assert len(first.created) == 2 and again.created == [] and len(again.skipped) == 2
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in first.created)


@pytest.mark.parametrize("round_", range(3))
def test_two_imports_at_once_make_no_duplicates(tmp_path: Path, round_: int) -> None:
    refs = write(tmp_path, "r.ris", "".join(f"TY  - JOUR\nTI  - Study {i}\nPY  - 2020\nER  - \n" for i in range(10)))
    out = tmp_path / "out"
    checklist = load_checklist("peer-support")
    threads = [threading.Thread(target=import_references, args=(refs, checklist, out)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(list(out.glob("*.yaml"))) == 10


def test_duplicate_bibtex_keys_are_a_warning_and_both_entries_are_read(tmp_path: Path) -> None:
    bib = (
        "@article{a1,\n  title = {Peer support at home},\n  author = {Doe, Jane},\n  year = {2020},\n}\n"
        "@article{a1,\n  title = {Another study},\n  author = {Roe, Sam},\n  year = {2021},\n}\n"
    )
    code, out = run_import(write(tmp_path, "refs.bib", bib), tmp_path / "out")
    assert code == 0 and "warning: BibTeX key 'a1' is used twice; both entries are read" in out
    assert [s["title"] for s in studies(tmp_path / "out")] == ["Another study", "Peer support at home"]


def test_titles_that_differ_only_in_a_number_are_two_references(tmp_path: Path) -> None:
    refs = "".join(f"TY  - JOUR\nTI  - Study number {i}\nPY  - 2020\nER  - \n" for i in (1, 10, 11))
    result = import_references(write(tmp_path, "n.ris", refs), load_checklist("peer-support"), tmp_path / "out")
    assert len(result.created) == 3 and not result.skipped


def test_non_ascii_names_keep_their_surname_and_a_readable_file_name(tmp_path: Path) -> None:
    refs = (
        "TY  - JOUR\nTI  - Wsparcie rówieśnicze\nAU  - Kowalski Ż\nPY  - 2017\nER  - \n"
        "TY  - JOUR\nTI  - Apoyo entre pares\nAU  - Álvarez-Núñez, María\nPY  - 2019\nER  - \n"
        "TY  - JOUR\nTI  - 同伴支持的随机对照试验\nPY  - 2020\nER  - \n"
    )
    result = import_references(write(tmp_path, "u.ris", refs), load_checklist("peer-support"), tmp_path / "out")
    names = sorted(p.name for p in result.created)
    labels = sorted(load_appraisal(p).appraisal.study.label for p in result.created)
    assert "Kowalski 2017" in labels and "Álvarez-Núñez 2019" in labels
    assert any(n.startswith("kowalski-2017-wsparcie") for n in names)
    assert any(n.startswith("alvarez-nunez-2019-apoyo") for n in names)
    assert any(n.startswith("tong-ban-zhi-chi") for n in names)  # a Chinese title is not lost from the name


def test_a_file_in_another_encoding_is_reported_at_its_first_byte_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.ris"
    text = "TY  - JOUR\nTI  - Peer support\nAU  - Álvarez-Núñez, José\nPY  - 2019\nER  - \n"
    path.write_bytes(text.encode("cp1252"))
    code, output = run_import(path, tmp_path / "out")
    assert code == 0 and f"{path}:3:7: warning: not UTF-8: read as cp1252" in output


def test_bytes_in_no_encoding_are_reported_at_the_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "binary.ris"
    path.write_bytes(b"TY  - JOUR\nTI  - x\n\xff\x00\xfe\x00\x00\x00ER  -\n")
    code, output = run_import(path, tmp_path / "out")
    assert code == 1 and f"{path}:3:1: not text in any encoding appraise recognises (byte 0xff" in output


def test_a_stray_line_after_a_references_end_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "stray.ris"
    path.write_text(
        "TY  - JOUR\nTI  - Peer support\nDO  - 10.1/x\nER  - \n\ngarbage left by an editor\n", encoding="utf-8"
    )
    code, output = run_import(path, tmp_path / "out")  # rispy took the stray line for the DOI's continuation
    assert code == 0 and f"{path}:6:1: warning: text after a reference's 'ER  - '" in output
    assert len(list((tmp_path / "out").glob("*.yaml"))) == 1
