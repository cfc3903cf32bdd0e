"""Reading a paper's text page by page: PDFs, text, Markdown, HTML, and the files that cannot be read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from appraise.core.quotes import make_pages, search
from appraise.files import paths
from appraise.files.papers import PaperError, extract, sha256_of
from tests.papers.make_pdf import (
    CONCEALMENT,
    PEER_ROLE,
    UNICODE_FONT,
    damaged_pdf,
    encrypted_pdf,
    scanned_pdf,
)


def test_a_pdf_is_read_page_by_page_with_its_printed_labels(trial: Path) -> None:
    text = extract(trial)
    assert len(text.pages) == 6
    assert text.labels[:3] == ["1369", "1370", "1371"]
    assert "PATHWAYS-HOME" in text.title


def test_a_two_column_page_keeps_each_column_in_reading_order(trial: Path) -> None:
    page = extract(trial).pages[1]
    # Each column's sentences come out whole: a position-sorted extractor would interleave their lines.
    assert search(CONCEALMENT, make_pages("paper", [page]))
    assert search(PEER_ROLE, make_pages("paper", [page]))
    assert page.index("Methods.") < page.index("Intervention.")


def test_a_page_without_a_text_layer_is_noted_and_the_rest_is_read(trial: Path) -> None:
    text = extract(trial)
    assert text.empty_pages == [4]
    assert text.pages[4].strip()


def test_ligatures_and_line_end_hyphens_do_not_hide_words_from_search(trial: Path) -> None:
    if not UNICODE_FONT.is_file():
        if os.environ.get("APPRAISE_REQUIRE_SYSTEM_TOOLS"):
            pytest.fail(f"{UNICODE_FONT} is required in CI (.ci/run installs fonts-dejavu-core)")
        pytest.skip("no Unicode font to write ligature glyphs with (fonts-dejavu-core)")
    pages = make_pages("paper", extract(trial).pages)
    assert [hit.page.number for hit in search("efficacy of peer support was confirmed", pages)] == [3]
    assert [hit.page.number for hit in search("intention to treat principle", pages)] == [3]
    assert [hit.page.number for hit in search("INTENTION-TO-TREAT PRINCIPLE", pages)] == [3]


def test_text_is_extracted_once_and_cached_by_hash(trial: Path) -> None:
    extract(trial)
    cached = paths.cache_dir() / "papers" / f"{sha256_of(trial)}.json"
    assert cached.is_file()
    copy = trial.with_name("renamed.pdf")
    copy.write_bytes(trial.read_bytes())
    assert extract(copy).pages == extract(trial).pages


def test_a_text_file_is_one_page_unless_it_has_form_feeds(tmp_path: Path) -> None:
    one = tmp_path / "paper.md"
    one.write_text("# Methods\n\nAllocation was concealed.\n\nResults follow.\n", encoding="utf-8")
    assert len(extract(one).pages) == 1
    paged = tmp_path / "paper.txt"
    paged.write_text("Page one.\fPage two.\fPage three.", encoding="utf-8")
    assert extract(paged).pages == ["Page one.", "Page two.", "Page three."]


def test_an_html_paper_is_its_visible_text(tmp_path: Path) -> None:
    page = tmp_path / "paper.html"
    page.write_text(
        "<html><head><title>A trial</title><style>p{color:red}</style></head>"
        "<body><p>Allocation was concealed &amp; sealed.</p><script>var x = 1;</script></body></html>",
        encoding="utf-8",
    )
    text = extract(page)
    assert text.title == "A trial"
    assert "Allocation was concealed & sealed." in text.pages[0]
    assert "color" not in text.pages[0] and "var x" not in text.pages[0]


def test_a_scanned_pdf_says_it_has_no_text_layer(tmp_path: Path) -> None:
    with pytest.raises(PaperError, match=r"no text layer.*OCR"):
        extract(scanned_pdf(tmp_path / "scan.pdf"))


def test_an_encrypted_pdf_says_it_needs_an_unprotected_copy(tmp_path: Path) -> None:
    with pytest.raises(PaperError, match="encrypted with a password"):
        extract(encrypted_pdf(tmp_path / "locked.pdf"))


def test_a_damaged_pdf_says_to_download_it_again(tmp_path: Path) -> None:
    with pytest.raises(PaperError, match=r"damaged.*download it again"):
        extract(damaged_pdf(tmp_path / "broken.pdf"))


def test_an_unsupported_file_says_what_can_be_attached(tmp_path: Path) -> None:
    docx = tmp_path / "paper.docx"
    docx.write_bytes(b"PK\x03\x04")
    with pytest.raises(PaperError, match="attach a PDF, text, Markdown or HTML file"):
        extract(docx)
