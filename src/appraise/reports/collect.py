"""Read many appraisals: each file judged by :class:`~appraise.core.assessment.Assessment`, as plain data.

A file that cannot be read is reported with its line and left out; the rest are still read.
Everything after reading (tables, figures, outputs) works on the plain records made here.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from appraise.core.checklist import Checklist, Section
from appraise.core.text import FORMULA_START, needs_visible
from appraise.files.checklists import load_checklist
from appraise.files.problems import FileProblems, Problem
from appraise.files.walker import Resolver
from appraise.files.walker import yaml_files as appraisal_files
from appraise.reports.readcache import ReadCache, checklist_signature
from appraise.reports.records import Judged, Read, Result, StudyRecord, forget_shared, from_cache, judged, to_cache

if TYPE_CHECKING:
    from appraise.core.assessment import Assessment
    from appraise.files.store import LoadedAppraisal

# A summary whose files are all current in the read cache reads and judges none of them: the appraisal
# models, the store and the engine are imported by the functions that read a file (~15 ms of every
# such summary), not here.

__all__ = [
    "ANSWER_COLUMNS",
    "Collection",
    "Judged",
    "Result",
    "StudyRecord",
    "appraisal_files",
    "collect",
    "judged_sections",
    "read_study",
]

ANSWER_COLUMNS = (
    "study",
    "outcome",
    "section",
    "question",
    "answer",
    "answer_label",
    "note",
    "quote",
    "page",
    "proposed",
    "judgement",
    "override_reason",
    "reviewer",
    "instrument",
    "version",
    "file",
)
"""The columns of the long CSV (``-f csv``): one row per question, per outcome where per outcome."""

PARALLEL_FROM = 150
"""Below this many files, starting worker processes costs more than it saves (when they are asked for)."""


@dataclass
class Collection:
    """Every appraisal read, in input order, and every file left out, with why.

    Answers (for the long CSV and JSON) are not kept in memory: they wait in a temporary file, one
    line per study, and :meth:`answer_rows` streams them back in input order.
    """

    studies: list[StudyRecord] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    answer_count: int = 0
    _spool: IO[str] | None = field(default=None, repr=False)

    @property
    def skipped_files(self) -> list[str]:
        """The files that were left out, once each, in input order."""
        return list(dict.fromkeys(p.path for p in self.skipped))

    def add(self, outcome: StudyRecord | list[Problem], cached: Spooled | None = None) -> None:
        """One file's outcome: a study (its answers moved to the spool) or the problems that left it out.

        ``cached`` is the study's answers as the cache keeps them (see :func:`spooled`), passed through
        to the spool as they are.
        """
        if isinstance(outcome, list):
            self.skipped.extend(outcome)
            return
        self.studies.append(outcome)
        self.warnings.extend(outcome.warnings)
        if cached is None and outcome.answers:
            cached = spooled(outcome.answers)
        outcome.answers = []
        if cached is None:
            return
        answers_json, count, flags = cached
        if self._spool is None:
            # Unnamed, so it disappears when closed or collected, whatever happens to the run.
            self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        # One line per study: the file (JSON escapes tabs and newlines), its flags and its rows, tab-separated.
        self._spool.write(f"{json.dumps(outcome.path, ensure_ascii=False)}\t{flags}\t{answers_json}\n")
        self.answer_count += count

    def answer_rows(self) -> Iterator[dict[str, str]]:
        """Every answer kept, one dict per row of the long table, study by study in input order."""
        for file, rows, _, _ in self.answer_values():
            for values in rows:
                yield dict(zip(ANSWER_COLUMNS, [*values, file], strict=True))

    def answer_values(self) -> Iterator[tuple[str, list[list[str]], bool, bool]]:
        """Per study: its file, its rows of values (in ``ANSWER_COLUMNS`` order, without the file), whether
        the rows may hold control characters, and whether a value may start like a spreadsheet formula
        (False means certainly not: nothing to make visible, nothing to quote)."""
        for name, flags, rows in self._spooled():
            yield json.loads(name), json.loads(rows), bool(flags & CONTROL), bool(flags & FORMULA)

    def answer_texts(self) -> Iterator[tuple[str, str, bool]]:
        """Per study: its file and its rows of values (in ``ANSWER_COLUMNS`` order, without the file), as JSON
        text (compact, ``ensure_ascii=False``: the strings exactly as json's C encoder writes them), and
        whether the rows may hold control characters."""
        for name, flags, rows in self._spooled():
            yield name, rows.rstrip("\n"), bool(flags & CONTROL)

    def _spooled(self) -> Iterator[tuple[str, int, str]]:
        """The spool's lines: a study's file (as JSON), its flags and its rows (as JSON)."""
        if self._spool is None:
            return
        self._spool.flush()
        self._spool.seek(0)
        for line in self._spool:
            name, flags, rows = line.split("\t", 2)
            yield name, int(flags), rows
        self._spool.seek(0, os.SEEK_END)


_CONTROL_ESCAPES = re.compile(r"\\(?:u00|[bfr])")
"""How JSON text shows the control characters below 0x20 that :func:`visible` changes (the others it leaves raw,
where :func:`needs_visible` sees them); false alarms (an escaped backslash before them) only cost time."""

_FORMULA_STARTS = re.compile('"(?:' + "|".join(re.escape(json.dumps(c)[1:-1]) for c in FORMULA_START) + ")")
"""A JSON string that starts like a formula (``FORMULA_START``), or a false alarm after an escaped quote, which
only costs time. (One pattern: it stops only at quotes, faster than six searches for pairs.)"""


CONTROL, FORMULA = 1, 2
"""Flags of a study's answers: a value may hold a control character; a value may start like a formula."""

Spooled = tuple[str, int, int]
"""A study's answers as the cache and the spool keep them: rows of values without the file (as JSON), how
many rows, and their flags, worked out once when the file is read (an unchanged study is never scanned)."""


def spooled(rows: list[dict[str, str]]) -> Spooled:
    """Answer rows (dicts with every column) in the form the cache and the spool keep them."""
    return spooled_values([[row[c] for c in ANSWER_COLUMNS[:-1]] for row in rows])


def spooled_values(values: list[list[str]]) -> Spooled:
    """Answer rows (values in ``ANSWER_COLUMNS`` order, without the file) as the cache and the spool keep them."""
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    flags = CONTROL if _CONTROL_ESCAPES.search(text) or needs_visible(text) else 0
    if _FORMULA_STARTS.search(text):
        flags |= FORMULA
    return text, len(values), flags


def collect(
    paths: Sequence[Path],
    *,
    answers: bool = False,
    weighted: bool = False,
    jobs: int | None = None,
    cache: bool = True,
) -> Collection:
    """Read and judge every appraisal under ``paths``; broken or foreign files are skipped with their problems.

    ``answers`` keeps every answer (for the long CSV and JSON); ``weighted`` makes a missing or
    invalid ``weight`` an error that leaves the file out. ``jobs`` asks for worker processes
    (default: none; used only from ``PARALLEL_FROM`` files to read, on Linux; the ``summary`` command
    asks for :func:`command_jobs`, the one place that reads ``APPRAISE_SUMMARY_JOBS``). ``cache``
    reuses what an earlier run read from files that have not changed since (see
    :mod:`~appraise.reports.readcache`).
    """
    resolve = Resolver()
    files = appraisal_files(paths, resolve)
    # What one run learnt about checklists is not kept for the next: a checklist may change in between.
    _signatures.clear()
    _last.clear()
    forget_shared()
    collection = Collection()
    store = ReadCache() if cache and files else None
    try:
        for outcome, cached in _outcomes(files, store, resolve, answers=answers, weighted=weighted, jobs=jobs):
            collection.add(outcome, cached)
    finally:
        if store is not None:
            store.close()
    return collection


def _outcomes(
    files: list[Path], store: ReadCache | None, resolve: Resolver, *, answers: bool, weighted: bool, jobs: int | None
) -> Iterator[tuple[StudyRecord | list[Problem], Spooled | None]]:
    """Each file's outcome in input order, with its cached answers: from the cache where current, else read.

    One study at a time is in flight (memory stays flat); files that must be read are read in
    parallel when there are many.
    """
    stats: list[tuple[str, int, int] | None] = []
    current: dict[int, str] = {}
    for i, path in enumerate(files):
        try:
            stat = path.stat()
            key = str(resolve(path))
        except OSError:
            stats.append(None)  # reading it reports why
            continue
        stats.append((key, stat.st_size, stat.st_mtime_ns))
        if store is not None:
            signature = store.current(key, stat.st_size, stat.st_mtime_ns, _checklist_signature)
            if signature is not None:
                current[i] = signature
    fresh = _read_all([files[i] for i in range(len(files)) if i not in current], answers, jobs)
    for i, path in enumerate(files):
        entry = stats[i]
        if i in current and store is not None and entry is not None:
            hit = store.payload(*entry, current[i], answers=answers)
            cached = from_cache(path, hit[0]) if hit is not None else None
            if cached is not None and hit is not None:
                yield _finish(cached, weighted), hit[1]
                continue
            read = _read(path, answers=answers)  # changed since it was checked a moment ago
        else:
            read = next(fresh)
        rows = read.answers if isinstance(read, Read) and answers else None
        if isinstance(read, Read) and store is not None and entry is not None:
            store.put(*entry, read.record.checklist_id, read.checklist, to_cache(read), rows)
        yield (_finish(read, weighted) if isinstance(read, Read) else read), rows


def _read_all(files: list[Path], answers: bool, jobs: int | None) -> Iterator[Read | list[Problem]]:
    """Read the files in order, lazily; in worker processes when there are many."""
    tasks = [(str(f), answers) for f in files]
    workers = _workers(len(files), jobs)
    if workers <= 1:
        yield from map(_read_task, tasks)
        return
    import concurrent.futures
    import multiprocessing

    # The first file is read here, so that the forked workers start with everything imported
    # and its checklist loaded; "fork" is what makes that inheritance cheap.
    yield _read_task(tasks[0])
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield from pool.map(_read_task, tasks[1:], chunksize=max(8, len(tasks) // (workers * 4)))


def _workers(files: int, jobs: int | None) -> int:
    """One process unless more are asked for (a caller with threads of its own, the app, must not fork)."""
    if not jobs or jobs <= 1 or files < PARALLEL_FROM or sys.platform != "linux":
        # fork is only safe and cheap on Linux; elsewhere the files are read one by one.
        return 1
    return max(1, min(jobs, _cpus(), 8))


def command_jobs() -> int:
    """Workers for ``appraise summary``, a process with no threads: one per CPU it may use, unless
    ``APPRAISE_SUMMARY_JOBS`` says otherwise (1: none).

    Measured on a quiet 2-core machine (bench/STEPS.md): 10,000 files read cold in 5.9 s instead of
    9.6 s for 3 % more CPU, 1,000 in 0.76 s instead of 1.19 s for no more; only changed files are read.
    """
    value = os.environ.get("APPRAISE_SUMMARY_JOBS", "")
    return int(value) if value.isdigit() else _cpus()


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _read_task(task: tuple[str, bool]) -> Read | list[Problem]:
    path, answers = task
    return _read(Path(path), answers=answers)


def read_study(path: Path, *, answers: bool = False, weighted: bool = False) -> StudyRecord | list[Problem]:
    """One appraisal file judged, as plain data; or the problems that leave it out."""
    read = _read(path, answers=answers)
    if not isinstance(read, Read):
        return read
    if read.answers is not None:
        file = read.record.path
        read.record.answers = [dict(zip(ANSWER_COLUMNS, [*v, file], strict=True)) for v in json.loads(read.answers[0])]
    return _finish(read, weighted)


def _read(path: Path, *, answers: bool) -> Read | list[Problem]:
    try:
        loaded = _load(path)
    except FileProblems as error:
        return error.problems
    except OSError as error:
        return [Problem(str(path), 0, 0, f"cannot be read: {error.strerror or error}")]
    if loaded.errors:
        return loaded.errors
    weight, weight_problem = _weight(loaded)
    record, values = _record(loaded, weight, list(loaded.warnings), answers)
    given = "weight" in (loaded.appraisal.model_extra or {})
    rows = spooled_values(values) if values is not None else None
    return Read(record, weight_problem, given, checklist_signature(loaded.checklist), rows)


def _finish(read: Read, weighted: bool) -> StudyRecord | list[Problem]:
    """The record, or the weight's problem: an error with ``--weighted``, else a warning when a weight is given."""
    record = read.record
    if read.weight_problem and (weighted or read.weight_given):
        problem = _problem_at(Path(record.path), ("weight",), read.weight_problem, "error" if weighted else "warning")
        if weighted:
            return [problem]
        record.warnings = [*record.warnings, problem]
    return record


_signatures: dict[str, str | None] = {}


def _checklist_signature(checklist_id: str) -> str | None:
    """The signature of the checklist a file with this id would be judged with now (once per id and run)."""
    if checklist_id not in _signatures:
        try:
            _signatures[checklist_id] = checklist_signature(load_checklist(checklist_id))
        except (LookupError, FileProblems, OSError):
            _signatures[checklist_id] = None
    return _signatures[checklist_id]


_last: list[Checklist] = []
"""The checklist of the previous file (per process): folders mostly hold appraisals made with one checklist."""


def _load(path: Path) -> LoadedAppraisal:
    """:func:`load_appraisal`, trying the previous file's checklist first (finding one by id costs a third)."""
    from appraise.files.store import load_appraisal

    if _last:
        loaded = load_appraisal(path, _last[0])
        if loaded.appraisal.checklist.id == _last[0].id:
            return loaded
    loaded = load_appraisal(path)  # a first file, or another checklist: found by its id, as usual
    _last[:] = [loaded.checklist]
    return loaded


def _weight(loaded: LoadedAppraisal) -> tuple[float | None, str]:
    """The appraisal's optional numeric ``weight`` (for weighted summaries), or why it cannot be used."""
    raw = (loaded.appraisal.model_extra or {}).get("weight")
    if raw is None:
        return None, "no 'weight' (a number, e.g. 'weight: 12.5'), which --weighted needs"
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = float(str(raw))
    except ValueError:
        return None, f"weight {raw!r} is not a number"
    if not math.isfinite(value) or value < 0:
        return None, f"weight {raw!r} must be a number of 0 or more"
    return value, ""


def _problem_at(path: Path, loc: tuple[str, ...], message: str, severity: str) -> Problem:
    # Only on the error path: read the document again for the position of the key.
    from appraise.files.yamlio import read_document

    try:
        return read_document(path).problem(loc, message, key=True, severity=severity)
    except FileProblems:
        return Problem(str(path), 0, 0, message, severity)


def judged_sections(checklist: Checklist) -> list[Section]:
    """The columns of a summary: every section that reaches a judgement, then the overall one."""
    return [section for section in checklist.judged.values() if section.judgements]


def _record(
    loaded: LoadedAppraisal, weight: float | None, warnings: list[Problem], answers: bool
) -> tuple[StudyRecord, list[list[str]] | None]:
    """The study's record, and its answer rows when asked for (see :func:`_answer_values`)."""
    from appraise.core.assessment import Assessment

    appraisal, checklist = loaded.appraisal, loaded.checklist
    assessment = Assessment(appraisal, checklist, brief=True)  # no messages or traces: not in a summary
    columns = judged_sections(checklist)
    outcomes = appraisal.outcomes if checklist.per_outcome and appraisal.outcomes else [None]
    results = []
    for outcome in outcomes:
        judgements = {}
        for section in columns:
            per_outcome = assessment.is_per_outcome(section)
            result = assessment.result(section.id, outcome.id if outcome and per_outcome else None)
            judgements[section.id] = judged(result.judgement, result.proposed, result.override_reason, result.state)
        described = None
        if outcome is not None:
            described = {
                "id": outcome.id,
                "name": outcome.label,
                "type": outcome.type,
                "finding": outcome.finding,
                "primary": outcome.primary,
                "effect": outcome.effect.model_dump(mode="json") if outcome.effect else None,
            }
        results.append(Result(described, judgements))
    study = {k: str(v) for k, v in appraisal.study.model_dump(mode="json").items() if isinstance(v, str)}
    study["label"] = appraisal.study.label
    record = StudyRecord(
        path=str(loaded.path),
        checklist_id=checklist.id,
        study=study,
        reviewer=appraisal.reviewer,
        weight=weight,
        results=results,
        warnings=warnings,
        effects=[
            {"id": o.id, "name": o.label, "type": o.type, "effect": o.effect.model_dump(mode="json")}
            for o in appraisal.outcomes
            if o.effect is not None
        ],
    )
    return record, (_answer_values(assessment) if answers else None)


def _answer_values(assessment: Assessment) -> list[list[str]]:
    """One row per question (per outcome where per outcome): the long table's rows, in ``ANSWER_COLUMNS``
    order without the file (the form the spool keeps; what is the same for a whole study or section is
    looked up once)."""
    from appraise.core.labels import answer_label

    appraisal, checklist = assessment.appraisal, assessment.checklist
    label, reviewer, instrument, version = appraisal.study.label, appraisal.reviewer, checklist.id, checklist.version
    rows: list[list[str]] = []
    for entry in assessment.entries(include_overall=False):
        section, result, outcome_id = entry.section, entry.result, entry.outcome_id
        evaluator = assessment.evaluator(section, outcome_id)  # what assessment.code asks, once per entry
        stored_for = outcome_id if section.per_outcome else None
        stored = appraisal.answers if stored_for is None else appraisal.outcome_answers.get(stored_for, {})
        outcome = entry.outcome.label if entry.outcome else ""
        proposed, judgement, reason = result.proposed or "", result.judgement or "", result.override_reason
        for question in section.questions:
            code = evaluator.code(question.id)
            record = stored.get(question.id)
            note, quote, page = (record.note, record.quote, record.page) if record else ("", "", "")
            rows.append(
                [
                    label,
                    outcome,
                    section.id,
                    question.id,
                    code or "",
                    answer_label(question, code) if code else "",
                    note,
                    quote,
                    page,
                    proposed,
                    judgement,
                    reason,
                    reviewer,
                    instrument,
                    version,
                ]
            )
    return rows
