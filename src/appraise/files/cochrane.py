"""Reading Cochrane's formats into review folders: the RoB 2 Excel Results sheet, and a data package's
``CDxxxxxx-risk-of-bias.csv`` (RoB 1 or RoB 2 judgements with their support text).

Every appraisal is written under a name nobody has taken (never overwriting), one file per row.
"""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from appraise.core.appraisal import Appraisal, slugify
from appraise.core.checklist import Checklist
from appraise.files.store import write_appraisal
from appraise.files.yamlio import Problem

SHEET_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class Imported:
    """What an import wrote, and every cell or row it could not read."""

    created: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def write_new(folder: Path, appraisal: Appraisal, name: str) -> Path:
    """Write ``appraisal`` as ``folder/NAME.yaml`` (or NAME-2.yaml …): a name is claimed before writing."""
    folder.mkdir(parents=True, exist_ok=True)
    # "García 2017" → garcia-2017: accents dropped rather than the letter lost.
    base = slugify(unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode(), "study")
    n = 1
    while True:
        target = folder / (f"{base}.yaml" if n == 1 else f"{base}-{n}.yaml")
        try:
            target.open("x").close()  # exclusive create: fails if the name exists, even in a race
        except FileExistsError:
            n += 1
            continue
        try:
            write_appraisal(target, appraisal)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target


def import_results_sheet(path: Path, checklist: Checklist, folder: Path) -> Imported:
    """One ``rob2`` appraisal per row of the RoB 2 Excel tool's Results sheet."""
    from appraise.files.results_sheet import file_name, read_results

    read = read_results(path, checklist)
    done = Imported(problems=read.problems, warnings=read.warnings)
    for appraisal in read.appraisals:
        done.created.append(write_new(folder, appraisal, file_name(appraisal)))
    return done


# --- a Cochrane data package's risk-of-bias file ----------------------------------------------------

_COLUMN = re.compile(r"^\s*Domain \((judgement|support)\):\s*(.+?)\s*$", re.IGNORECASE)
_JUDGEMENT_WORDS = {
    "low": "low",
    "low risk": "low",
    "low risk of bias": "low",
    "high": "high",
    "high risk": "high",
    "high risk of bias": "high",
    "unclear": "unclear",
    "unclear risk": "unclear",
    "unclear risk of bias": "unclear",
    "some concerns": "some_concerns",
}
PUBLISHED = "the published judgement (Cochrane review data package)"


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).lower()


def _domain_title(name: str) -> str:
    """'Blinding of outcome assessment (detection bias): All outcomes' → the domain's own name."""
    return name.split("):")[0] + ")" if "):" in name else name.split(":")[0]


def _match(checklist: Checklist, name: str) -> str | None:
    """The section a package's domain name means, by its title (or the words before the bracket)."""
    wanted = _norm(_domain_title(name))
    for section in checklist.judged.values():
        title = _norm(section.title)
        if wanted == title or wanted.split(" (")[0] == title.split(" (")[0]:
            return section.id
    return None


def _plain(text: str) -> str:
    """Support text without its HTML: tags dropped, breaks and paragraphs kept as new lines, entities read."""
    text = re.sub(r"(?i)<br\s*/?>|</p>|</li>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    lines = [" ".join(line.split()) for line in html.unescape(text).splitlines()]
    return "\n".join(line for line in lines if line).strip()


def choose_checklist(names: list[str], checklist_ref: str | None) -> Checklist:
    """The checklist given with ``-c``, else RoB 1 or RoB 2, whichever names every domain of the file."""
    from appraise.files.checklists import load_checklist

    if checklist_ref:
        return load_checklist(checklist_ref)
    for candidate in ("rob1", "rob2"):
        checklist = load_checklist(candidate)
        if all(_match(checklist, name) for name in names):
            return checklist
    raise LookupError(
        f"the domains ({'; '.join(names[:3])}…) are neither RoB 1's nor RoB 2's: give the checklist with -c"
    )


def import_risk_of_bias_csv(path: Path, folder: Path, checklist_ref: str | None = None) -> Imported:
    """One appraisal per study of a ``CDxxxxxx-risk-of-bias.csv``, with the published judgements and support.

    RoB 1 judgements are the reviewer's by design; RoB 2 ones are recorded as the reviewer's
    judgement with the support text as its reason (the package has no signalling answers).
    """
    done = Imported()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        done.problems.append(Problem(str(path), 0, 0, f"cannot be read: {error}"))
        return done
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or _norm(rows[0][0]) != "study":
        done.problems.append(
            Problem(str(path), 1, 1, "the first column must be 'Study' (a Cochrane risk-of-bias file)")
        )
        return done
    head = rows[0]
    columns = [(i, m.group(1).lower(), m.group(2)) for i, c in enumerate(head) if (m := _COLUMN.match(c))]
    names = list(dict.fromkeys(name for _, kind, name in columns if kind == "judgement"))
    checklist = choose_checklist(names, checklist_ref)
    by_name = {name: _match(checklist, name) for name in names}
    for name, section in by_name.items():
        if section is None:
            done.warnings.append(
                Problem(str(path), 1, 0, f"domain {name!r} is not one of {checklist.id}'s: left out", "warning")
            )
    weights = _weights(path, done)
    for number, row in enumerate(rows[1:], 2):
        if not row or not row[0].strip():
            continue
        done.created.append(
            write_new(folder, _appraisal(path, checklist, row, columns, by_name, weights, done, number), row[0])
        )
    return done


def _appraisal(
    path: Path,
    checklist: Checklist,
    row: list[str],
    columns: list[tuple[int, str, str]],
    by_name: dict[str, str | None],
    weights: dict[str, float],
    done: Imported,
    number: int,
) -> Appraisal:
    from appraise.core.appraisal import Answer, ChecklistRef, Override
    from appraise.files.results_sheet import study_from_label

    label = row[0].strip()
    extra = {"weight": weights[label]} if label in weights else {}
    appraisal = Appraisal.model_validate(
        {
            "checklist": ChecklistRef(id=checklist.id, version=checklist.version),
            "study": study_from_label(label),
            **extra,
        }
    )
    cell = {(kind, name): (row[i] if i < len(row) else "") for i, kind, name in columns}
    for name, section_id in by_name.items():
        if section_id is None or section_id in appraisal.overrides:
            continue  # an outcome-specific second column of a domain already read keeps the first
        raw = cell.get(("judgement", name), "").strip()
        support = _plain(cell.get(("support", name), ""))
        if not raw and not support:
            continue
        code = _JUDGEMENT_WORDS.get(_norm(raw))
        section = checklist.judged[section_id]
        if raw and (code is None or section.judgement(code) is None):
            column = next(i for i, kind, n in columns if kind == "judgement" and n == name) + 1
            levels = ", ".join(j.label for j in section.judgements)
            done.problems.append(
                Problem(str(path), number, column, f"{label}: {raw!r} is not a judgement of {section_id} ({levels})")
            )
            code = None
        support_question = next((q for q in section.questions if q.kind == "text"), None)
        if support_question is not None and section.method == "appraiser":
            if support:
                appraisal.answers[support_question.id] = Answer(answer=support)
            if code:
                appraisal.overrides[section_id] = Override(judgement=code, reason="")
        elif code:
            appraisal.overrides[section_id] = Override(judgement=code, reason=support or PUBLISHED)
    return appraisal


def _weights(path: Path, done: Imported) -> dict[str, float]:
    """Each study's weight from the package's data rows (``*data-rows.csv`` beside it), first analysis row first."""
    found: dict[str, float] = {}
    for sibling in sorted(path.parent.glob("*data-rows*.csv")):
        try:
            reader = csv.DictReader(io.StringIO(sibling.read_text(encoding="utf-8-sig")))
            for record in reader:
                study = (record.get("Study") or "").strip()
                weight = (record.get("Weight") or "").strip().rstrip("%")
                if study and weight and study not in found:
                    found[study] = float(weight)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            done.warnings.append(Problem(str(sibling), 0, 0, f"weights not read: {error}", "warning"))
    return found
