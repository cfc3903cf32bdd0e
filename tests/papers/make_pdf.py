"""Realistic trial papers written as PDFs with fpdf2, for tests and the benchmark.

A journal-like layout: a title page, two-column pages, words broken at line ends with hyphens,
ligature characters (where a Unicode font is at hand), printed page labels starting at 1369, and a
page that is a picture only (no text layer), like a scanned figure.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
"""DejaVu Sans has the ﬁ/ﬂ/ﬃ ligature glyphs; without it the ligature page uses plain letters."""

FIRST_LABEL = 1369

CONCEALMENT = (
    "Allocation was concealed by a central web-based system run by the trials unit, so recruiting staff "
    "could not foresee the next assignment."
)
SEQUENCE = "Participants were randomised 1:1 using a computer-generated sequence with permuted blocks of four and six."
PEER_ROLE = (
    "Peer workers had lived experience of mental illness and recovery; they received ten days of training "
    "and fortnightly supervision from a senior peer worker."
)
BLINDING = "Outcome assessors were research workers who did not know which group participants were in."
HYPHENATED = ("The primary analysis followed the intention-to-treat princi-", "ple and included every participant.")
LIGATURE_TEXT = (
    "The e\ufb03cacy of peer support was con\ufb01rmed in the \ufb01nal analysis of the \ufb02ow of participants."
)

FILLER = (
    "Mental health services increasingly employ people with lived experience to support others in their "
    "recovery. Evidence from earlier reviews was mixed, partly because trials defined peer support in many "
    "ways and compared it with different control conditions. "
)


def _font(pdf: FPDF) -> bool:
    if UNICODE_FONT.is_file():
        pdf.add_font("Body", fname=str(UNICODE_FONT))
        pdf.set_font("Body", size=9.5)
        return True
    pdf.set_font("Helvetica", size=9.5)
    return False


def _column(pdf: FPDF, x: float, text: str) -> None:
    pdf.set_xy(x, 24)
    pdf.multi_cell(88, 4.6, text)


def trial_pdf(path: Path, *, pages: int = 6, labels: bool = True, blank_page: bool = True) -> Path:
    """A trial report of ``pages`` pages (at least 5): methods on page 2, hyphenation and ligatures on page 3."""
    pdf = FPDF(format="A4")
    pdf.set_title("Peer support after discharge: a randomised controlled trial (PATHWAYS-HOME)")
    unicode = _font(pdf)
    pdf.set_auto_page_break(False)

    def page() -> None:
        pdf.add_page()
        if labels and pdf.page == 1:
            pdf.set_page_label(label_style="D", label_start=FIRST_LABEL)

    page()  # 1: title and abstract, one column
    pdf.set_font_size(15)
    pdf.set_xy(10, 20)
    pdf.multi_cell(190, 7, "Peer support after discharge: a randomised controlled trial (PATHWAYS-HOME)")
    pdf.set_font_size(9.5)
    pdf.set_xy(10, 45)
    pdf.multi_cell(190, 4.6, "Abstract. " + FILLER * 3)

    page()  # 2: methods in two columns
    _column(pdf, 10, "Methods. " + FILLER + SEQUENCE + " " + CONCEALMENT + " " + FILLER)
    _column(pdf, 112, "Intervention. " + PEER_ROLE + " " + FILLER + BLINDING + " " + FILLER)

    page()  # 3: results, with a word broken at a line end and ligatures
    pdf.set_xy(10, 24)
    pdf.cell(0, 5, HYPHENATED[0], new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, HYPHENATED[1], new_x="LMARGIN", new_y="NEXT")
    ligatures = LIGATURE_TEXT if unicode else LIGATURE_TEXT.translate({0xFB03: "ffi", 0xFB01: "fi", 0xFB02: "fl"})
    pdf.multi_cell(190, 5, ligatures + " " + FILLER)

    for number in range(4, pages + 1):
        page()
        if blank_page and number == 4:
            # A figure only: drawn shapes, no text layer (what a scanned page looks like to a text extractor).
            pdf.set_fill_color(120, 140, 160)
            for bar in range(6):
                pdf.rect(30 + bar * 25, 200 - bar * 20, 15, 40 + bar * 20, style="F")
            continue
        _column(pdf, 10, f"Section {number}. " + FILLER * 2)
        _column(pdf, 112, f"Discussion {number}. " + FILLER * 2)
    pdf.output(str(path))
    return path


def scanned_pdf(path: Path) -> Path:
    """A PDF whose pages have no text layer at all."""
    pdf = FPDF(format="A4")
    for _ in range(2):
        pdf.add_page()
        pdf.set_fill_color(30, 30, 30)
        pdf.rect(20, 20, 170, 250, style="F")
    pdf.output(str(path))
    return path


def encrypted_pdf(path: Path) -> Path:
    """A PDF that opens only with a password."""
    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=11)
    pdf.set_encryption(owner_password="owner-secret", user_password="reader-secret")
    pdf.add_page()
    pdf.cell(0, 10, "Confidential trial protocol.")
    pdf.output(str(path))
    return path


def damaged_pdf(path: Path) -> Path:
    """The first third of a real PDF, as a broken download leaves it."""
    whole = trial_pdf(path.with_name("whole-" + path.name))
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path
