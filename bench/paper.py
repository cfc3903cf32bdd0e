"""Speed of the paper features, as CPU-time ratios against floors measured in the same run.

    python bench/paper.py [--runs N] [--pages 30]

Writes a realistic trial PDF of ``--pages`` pages (two columns, hyphenation, ligatures) with fpdf2
(the test extra), then measures with time.process_time():

1. Attach to first page: hash + extract every page (cold cache) + key form, against the floor of
   PDFium alone reading every page's text. Target: under 1 s (the app does it in a worker).
2. Search: one query over the whole paper, against the floor of str.find over lower-cased pages.
   Ranking: BM25 passages for one question's cues (index built once per paper, shown apart).
   Target: each under 50 ms.
3. Check every quote of an appraisal (40 quotes: exact, hand-typed with typos, absent, wrong
   page) with the cache warm, including finding and reading the paper, against the floor of
   loading the appraisal file. Target: under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def cpu(fn: Callable[[], object], runs: int) -> list[float]:
    """CPU seconds of each of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return times


def line(name: str, values: list[float], floor: list[float] | None, target_ms: float | None) -> None:
    median = statistics.median(values)
    ratio = f"{median / statistics.median(floor):>8.2f}x" if floor else f"{'':>9}"
    verdict = ""
    if target_ms is not None:
        verdict = "  ok" if median * 1000 <= target_ms else f"  over {target_ms:.0f} ms"
    print(f"  {name:<44}{median * 1000:>9.1f}ms{min(values) * 1000:>9.1f}ms{ratio}{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="appraise-bench-paper-"))
    os.environ["APPRAISE_DATA_DIR"] = str(folder / "data")

    import shutil

    import pypdfium2 as pdfium
    from tests.papers.make_pdf import BLINDING, CONCEALMENT, PEER_ROLE, SEQUENCE, trial_pdf

    from appraise.core.passages import Ranker
    from appraise.core.quotes import Corpus, check_quotes, make_pages, search
    from appraise.files import paths
    from appraise.files.papers import attach, extract, load_attached, sha256_of
    from appraise.files.store import load_appraisal, write_appraisal

    paper = trial_pdf(folder / "trial.pdf", pages=args.pages)
    print(f"paper: {args.pages} pages, {paper.stat().st_size // 1024} KiB; CPU time, median and best of {args.runs}")
    print(f"  {'case':<44}{'median':>11}{'min':>11}{'ratio':>9}")

    def floor_pdfium() -> None:
        document = pdfium.PdfDocument(str(paper))
        for page in document:
            page.get_textpage().get_text_bounded()
        document.close()

    def cold_attach() -> None:
        shutil.rmtree(paths.cache_dir(), ignore_errors=True)
        text = extract(paper, sha256_of(paper))
        make_pages("paper", text.pages)

    print("\n1. attach to first page shown (target < 1000 ms)")
    floor = cpu(floor_pdfium, args.runs)
    line("floor: PDFium reads every page", floor, None, None)
    line("hash + extract + key form (cold cache)", cpu(cold_attach, args.runs), floor, 1000)

    text = extract(paper)
    pages = make_pages("paper", text.pages)
    lowered = [p.lower() for p in text.pages]
    print("\n2. search and ranking (target < 50 ms each)")
    floor = cpu(lambda: [p.find("lived experience") for p in lowered], args.runs * 5)
    line("floor: str.find over the pages", floor, None, None)
    line(
        "search 'lived experience' (whole paper)",
        cpu(lambda: search("lived experience", pages), args.runs * 5),
        floor,
        50,
    )
    line("BM25 index, once per paper", cpu(lambda: Ranker(pages), args.runs), None, None)
    ranker = Ranker(pages)
    cues = ["allocation concealment", "sealed envelopes", "central randomisation", "web-based", "telephone"]
    line("BM25 ranking for one question", cpu(lambda: ranker.rank(cues), args.runs * 5), floor, 50)

    print("\n3. check every quote of an appraisal, cache warm (target < 100 ms)")
    appraisal_path = folder / "appraisal.yaml"
    shutil.copy(ROOT / "tests" / "data" / "pathways-home.yaml", appraisal_path)
    loaded = load_appraisal(appraisal_path)
    appraisal = loaded.appraisal
    attach(appraisal, appraisal_path, paper)
    quotes = [
        (CONCEALMENT, "2"),
        (SEQUENCE.replace("randomised", "randomized").replace("permuted", "permutted"), "2"),
        (PEER_ROLE, "3"),
        ("Participants chose their own peer worker from a list of volunteers at each site.", "2"),
        (BLINDING, "1370"),
    ]
    ids = list(loaded.checklist.questions)[:40]
    for n, question_id in enumerate(ids):
        quote, page = quotes[n % len(quotes)]
        appraisal.answers.setdefault(question_id, type(next(iter(appraisal.answers.values())))())
        appraisal.answers[question_id].quote, appraisal.answers[question_id].page = quote, page
    write_appraisal(appraisal_path, appraisal)
    load_attached(appraisal, appraisal_path)  # warm the cache

    def check_all() -> None:
        attached = load_attached(appraisal, appraisal_path)
        check_quotes(appraisal, attached.corpus)

    corpus = Corpus()
    corpus.add("paper", text.pages, text.labels)
    floor = cpu(lambda: load_appraisal(appraisal_path), args.runs)
    line("floor: load the appraisal file", floor, None, None)
    line(f"find + read paper + check {len(ids)} quotes", cpu(check_all, args.runs), floor, 100)
    line(
        f"check {len(ids)} quotes (text in memory)",
        cpu(lambda: check_quotes(appraisal, corpus), args.runs),
        floor,
        None,
    )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
