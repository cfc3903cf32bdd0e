"""Why appraise reads PDFs with pypdfium2: a comparison with pdfplumber on generated two-column pages.

    python bench/extractors.py [--pages 30]

Writes the test suite's trial PDF (fpdf2), extracts it with both libraries, and reports CPU time
and whether each column's sentences come out whole (a quote a reader selects in a viewer must be
findable in the extracted text). pdfplumber is not a dependency of appraise: install it to run this.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()
    try:
        import pdfplumber
    except ImportError:
        sys.exit("pdfplumber is not installed: python -m pip install pdfplumber")
    import pypdfium2 as pdfium
    from tests.papers.make_pdf import BLINDING, CONCEALMENT, PEER_ROLE, SEQUENCE, trial_pdf

    from appraise.core.quotes import make_pages, search

    paper = trial_pdf(Path(tempfile.mkdtemp()) / "trial.pdf", pages=args.pages)

    def with_pdfium() -> list[str]:
        document = pdfium.PdfDocument(str(paper))
        try:
            return [page.get_textpage().get_text_bounded() for page in document]
        finally:
            document.close()

    def with_pdfplumber() -> list[str]:
        with pdfplumber.open(str(paper)) as document:
            return [page.extract_text() or "" for page in document.pages]

    sentences = [CONCEALMENT, SEQUENCE, PEER_ROLE, BLINDING]  # page 2: two columns
    print(f"{args.pages}-page trial PDF, two-column methods page; CPU time and two-column sentences found whole")
    for name, extract in (("pypdfium2", with_pdfium), ("pdfplumber", with_pdfplumber)):
        start = time.process_time()
        pages = extract()
        spent = time.process_time() - start
        keyed = make_pages("paper", pages)
        whole = sum(bool(search(sentence, keyed)) for sentence in sentences)
        print(f"  {name:<11}{spent * 1000:>8.0f} ms   {whole}/{len(sentences)} sentences whole")


if __name__ == "__main__":
    main()
