"""One fuzz harness for the suite (hypothesis, a small fixed budget) and ``make fuzz`` (thousands of files).

A file of one *kind* (appraisal, checklist, review.yaml, RIS/BibTeX/nbib/WoS, state.json) is mutated
from a real seed and run in-process, through the CLI's own runner, through every command that reads
that kind. Each run is measured: its exit status, a traceback if any, wall and CPU time, the
process's peak RSS after it, and every output line that names the fuzzed file without a line number.
"""

from __future__ import annotations

import random
import re
import resource
import shutil
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from appraise.cli import cli

ROOT = Path(__file__).parent.parent.parent
DATA = ROOT / "tests" / "data"
APPRAISAL = DATA / "pathways-home.yaml"
OTHER = DATA / "pathways-home-reviewer-a.yaml"

RIS = b"TY  - JOUR\nTI  - Peer support after discharge\nAU  - Doe, Jane\nAU  - Kowalski, Anna\nPY  - 2020\n"
RIS += b"JO  - J Ment Health\nDO  - 10.1/x\nER  - \n\nTY  - CHAP\nT2  - A book\nST  - Short\nPY  - 2019\nER  - \n"
BIB = b"""@article{doe2020,
  title = {Peer support after discharge: a {RCT}},
  author = {Doe, Jane and {\\'A}lvarez-N{\\'u}{\\~n}ez, Luis},
  journal = {J Ment Health}, year = {2020}, doi = {10.1/x},
}
@inproceedings{doe2020b, title = "Peer support", author = "Doe, J.", year = 2021, booktitle = {Proc}}
"""
NBIB = b"""PMID- 31234567
TI  - Peer support after discharge: a randomised
      controlled trial.
FAU - Doe, Jane
AU  - Doe J
DP  - 2020 Mar
TA  - J Ment Health
LID - 10.1/x [doi]

PMID- 31234568
TI  - Second record.
AU  - Roe R
DP  - 2019
"""
WOS = b"""FN Clarivate Analytics Web of Science
VR 1.0
PT J
AU Doe, J
   Roe, R
TI Peer support after discharge
SO J MENT HEALTH
PY 2020
DI 10.1/x
ER

EF
"""
REVIEW = b"""review: Peer support after discharge (fictional)
checklist: {id: peer-support, version: "1"}
team: [alex, bea]
pilot: [pathways-home]
blind: false
guidance:
  C5: "In this review, shared wards with no monitoring count as N."
"""
STATE = b"""{"files": {"/tmp/x.yaml": {"opened": "2026-01-01T10:00:00", "slot": ["B1", null], "paper_page": 2}},
 "settings": {"theme": "textual-dark"}, "recent_folder": "/tmp"}
"""

SEEDS: dict[str, list[tuple[str, bytes]]] = {
    "appraisal": [("fuzzed.yaml", APPRAISAL.read_bytes()), ("fuzzed.yaml", (DATA / "rob2-complete.yaml").read_bytes())],
    "checklist": [
        ("peer-support.yaml", (ROOT / "checklists" / "peer-support.yaml").read_bytes()),
        ("rct-reading.yaml", (ROOT / "checklists" / "rct-reading.yaml").read_bytes()),
    ],
    "review": [("review.yaml", REVIEW)],
    "references": [("refs.ris", RIS), ("refs.bib", BIB), ("refs.nbib", NBIB), ("refs.txt", WOS)],
    "state": [("state.json", STATE)],
}
"""Each kind's seeds: the file name it is written under, and its real content."""

PIECES = [
    b"\x00",
    b"\xff",
    b"\x1b]0;T\x07",
    b"&a [*a]",
    b"*a",
    b"[[[[[[[[",
    b"{",
    b"\t",
    b": :",
    b"\xef\xbb\xbf",
    b"\r",
    b"\xe2\x80\xae",
    b"!!python/object:os.system",
    b"{{ 1/0 }}",
    b"=HYPERLINK(1)",
    b"\n",
    b"'",
    b'"',
    b"-",
    b"TY  - ",
    b"@article{",
]
"""Hostile fragments spliced in: NUL, bad UTF-8, escapes, aliases, deep nesting, BOM, tags, templates."""


def mutate(seed: bytes, rng: random.Random) -> bytes:
    """The seed with one to six bytes flipped, inserted, deleted, lines duplicated or hostile pieces spliced in."""
    data = bytearray(seed)
    for _ in range(rng.randint(1, 6)):
        at = rng.randint(0, max(len(data) - 1, 0))
        op = rng.choice(["flip", "insert", "delete", "piece", "dup-line", "truncate"])
        if op == "flip" and data:
            data[at] = rng.randint(0, 255)
        elif op == "insert":
            data[at:at] = bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 8)))
        elif op == "delete":
            del data[at : at + rng.randint(1, 40)]
        elif op == "piece":
            data[at:at] = rng.choice(PIECES) * rng.choice([1, 1, 1, 2, 50])
        elif op == "truncate":
            del data[at:]
        else:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data[start:start] = data[start:end]
    return bytes(data)


TEXT_PIECES = [
    "\x1b]0;PWNED\x07",
    "\x1b]52;c;UFdORUQ=\x07",
    "\u202eexe.txt",
    "in\u200bvisible",
    "[bold red]MARKUP[/]",
    '=HYPERLINK("https://evil.example","x")',
    "+1+1",
    "@SUM(A1)",
    "-2+3",
    "<script>window.__pwned=1</script>",
    "{{ 7*7 }}",
    "Ż Álvarez-Núñez 研究",
    "x" * 5000,
]
"""Text that stays valid YAML inside a double-quoted value but is hostile to what shows or exports it."""


def mutate_gently(seed: bytes, rng: random.Random) -> bytes:
    """The seed with hostile text put in one to three values (the file usually stays valid: deep paths run)."""
    import json

    lines = seed.decode("utf-8").splitlines(keepends=True)
    values = [i for i, line in enumerate(lines) if re.match(r"^\s*[\w@.-]+: [^{\[|>&*!#]", line)]
    for _ in range(rng.randint(1, 3)):
        if not values:
            break
        i = rng.choice(values)
        key, _, value = lines[i].partition(": ")
        text = value.strip().strip('"') + rng.choice(TEXT_PIECES)
        lines[i] = f"{key}: {json.dumps(text)}\n"
    return "".join(lines).encode("utf-8")


def restructure(seed: bytes, rng: random.Random) -> bytes:
    """A well-formed YAML document with one to three keys (top level or an answer) holding arbitrary structures."""
    import yaml

    doc = yaml.safe_load(seed)
    if not isinstance(doc, dict):
        return seed

    def value(depth: int = 0) -> object:
        pick = rng.randint(0, 9 if depth < 3 else 5)
        scalars: list[object] = [None, True, rng.randint(-(10**12), 10**12), "", "Y", "rct", rng.choice(TEXT_PIECES)]
        if pick <= 5:
            return rng.choice(scalars)
        if pick <= 7:
            return [value(depth + 1) for _ in range(rng.randint(0, 3))]
        return {rng.choice(["answer", "note", "x", "1", "B1", ""]): value(depth + 1) for _ in range(rng.randint(0, 3))}

    for _ in range(rng.randint(1, 3)):
        target = doc
        answers = doc.get("answers")
        if isinstance(answers, dict) and answers and rng.random() < 0.5:
            target = answers
        keys = [*target, "consensus", "practice", "answerz", "outcomes"]
        target[rng.choice(keys)] = value()
    return yaml.safe_dump(doc, allow_unicode=True).encode("utf-8")


def fuzzed(kind: str, seed: bytes, rng: random.Random) -> bytes:
    """A fuzzed file of ``kind``: raw byte mutations, hostile values, or (YAML) arbitrary structures."""
    mode = rng.random()
    yaml_kind = kind in ("appraisal", "checklist", "review")
    if mode < 0.3 and yaml_kind:
        return mutate_gently(seed, rng)
    if mode < 0.45 and yaml_kind:
        return restructure(seed, rng)
    return mutate(seed, rng)


@dataclass
class Run:
    """One command run on one fuzzed file, as measured."""

    command: str
    exit_code: int
    wall: float
    cpu: float
    rss_mb: float
    traceback: str = ""
    unlocated: list[str] = field(default_factory=list)
    """Output lines that name the fuzzed file without a line number (problems with its content)."""
    output: str = ""


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def unlocated_lines(output: str, path: Path) -> list[str]:
    """Lines that name ``path`` as a problem's place without ``:LINE:`` (line ≥ 1; the column may follow)."""
    located = re.compile(re.escape(str(path)) + r"(?: \([^)]*\))?:(\d+):(?:\d+:)? ")
    found = []
    for line in output.splitlines():
        if not line.startswith(str(path)) or line.startswith(f"{path}: ok ("):
            continue
        match = located.match(line)
        if match is None or int(match.group(1)) < 1:
            found.append(line)
    return found


def invoke(args: list[str], fuzzed: Path) -> Run:
    """Run ``appraise ARGS`` in-process through the CLI's runner and measure it."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = CliRunner().invoke(cli, args)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    crashed = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crashed = "".join(traceback.format_exception(result.exception))
    elif "Traceback (most recent call last)" in result.output:
        crashed = result.output
    name = " ".join(a if not a.startswith("/") else Path(a).name for a in args[:4])
    return Run(
        name,
        result.exit_code,
        wall,
        cpu,
        peak_rss_mb(),
        crashed,
        unlocated_lines(result.output, fuzzed),
        result.output[-2000:],
    )


HEAVY = ("report-docx", "summary-docx", "summary-png", "summary-xlsx")
"""The binary writers, each run on every fourth appraisal in turn (each costs 0.1–1 s of figures or Word)."""


def _appraisal_commands(path: Path, folder: Path, heavy: str | None) -> list[list[str]]:
    out = folder / "out"
    commands = [
        ["validate", str(path)],
        *(["report", "-f", f, str(path)] for f in ("json", "md", "html")),
        *(["summary", "-f", f, str(path)] for f in ("csv", "md", "html", "json")),
        ["summary", "-f", "robvis", "--allow-incomplete", str(path)],
        ["summary", "-o", str(out / "figure.svg"), str(path)],
        ["compare", str(path), str(OTHER)],
        ["consensus", str(path), str(OTHER), "-o", str(out / "consensus.yaml")],
        ["history", str(path)],
        ["history", "-f", "json", str(path)],
    ]
    writers = {
        "report-docx": ["report", "-o", str(out / "report.docx"), str(path)],
        "summary-docx": ["summary", "-o", str(out / "summary.docx"), str(path)],
        "summary-png": ["summary", "-o", str(out / "figure.png"), str(path)],
        "summary-xlsx": ["summary", "-o", str(out / "results.xlsx"), str(path)],
    }
    if heavy is None:
        commands += writers.values()
    elif heavy:
        commands.append(writers[heavy])
    return commands


def runs_for(kind: str, name: str, raw: bytes, folder: Path, data_dir: Path, heavy: str | None = "") -> Iterator[Run]:
    """Write ``raw`` as a file of ``kind`` in ``folder`` and run it through every command that reads it.

    ``heavy`` names the one binary writer to run too ("" none, None all of them).
    """
    (folder / "out").mkdir(parents=True, exist_ok=True)
    if kind == "appraisal":
        path = folder / name
        path.write_bytes(raw)
        for args in _appraisal_commands(path, folder, heavy):
            yield invoke(args, path)
            (folder / "out" / "consensus.yaml").unlink(missing_ok=True)
    elif kind == "checklist":
        path = folder / name
        path.write_bytes(raw)
        yield invoke(["validate", str(path)], path)
        user = data_dir / "checklists"
        user.mkdir(parents=True, exist_ok=True)
        shadow = user / name  # the user's broken copy shadows the bundled checklist of that id
        shadow.write_bytes(raw)
        try:
            yield invoke(["checklists"], shadow)
            for args in (
                ["report", "-f", "md", str(APPRAISAL)],
                ["summary", "-f", "json", str(APPRAISAL)],
                ["summary", "-f", "robvis", "--allow-incomplete", str(DATA)],
                ["compare", str(APPRAISAL), str(OTHER)],
                ["validate", str(APPRAISAL)],
            ):
                yield invoke(args, shadow)
        finally:
            shadow.unlink()
    elif kind == "review":
        review = folder / "review"
        for reviewer, source in (("alex", APPRAISAL), ("bea", OTHER)):
            (review / reviewer).mkdir(parents=True, exist_ok=True)
            shutil.copy(source, review / reviewer / "pathways-home.yaml")
        path = review / "review.yaml"
        path.write_bytes(raw)
        yield invoke(["validate", str(path)], path)
        yield invoke(["summary", "-f", "md", str(review)], path)
        yield invoke(["calibrate", str(review)], path)
        yield invoke(["calibrate", "-f", "json", str(review)], path)
        yield invoke(
            ["compare", str(review / "alex" / "pathways-home.yaml"), str(review / "bea" / "pathways-home.yaml")], path
        )
    elif kind == "references":
        path = folder / name
        path.write_bytes(raw)
        yield invoke(["import", str(path), "-d", str(folder / "imported")], path)
        yield invoke(["import", str(path), "-d", str(folder / "imported")], path)  # a rerun resumes
        yield invoke(["summary", "-f", "csv", str(folder / "imported")], path)
    elif kind == "state":
        yield _state_run(raw, data_dir)
    else:
        raise ValueError(kind)


def _state_run(raw: bytes, data_dir: Path) -> Run:
    """``state.json`` is read by the app only: its own reader, then a remember and a save, as at start-up."""
    from appraise.files.appstate import AppState

    folder = data_dir / "state"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "state.json").write_bytes(raw)
    wall, cpu = time.perf_counter(), time.process_time()
    crashed = ""
    try:
        state = AppState(folder)
        state.position(APPRAISAL)
        state.paper_page(APPRAISAL)
        state.recent()
        state.remember(APPRAISAL, ("B1", None))
        AppState(folder).position(APPRAISAL)
    except Exception as error:
        crashed = "".join(traceback.format_exception(error))
    finally:
        for file in folder.iterdir():
            file.unlink()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return Run("state.json (AppState)", 0, wall, cpu, peak_rss_mb(), crashed)
