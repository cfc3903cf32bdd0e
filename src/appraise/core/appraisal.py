"""The appraisal file as pydantic models: study, outcomes, answers with their support, overrides.

The shape is a stable contract (DESIGN.md): more keys are allowed and kept on saving; the keys
below are fixed. Models here are mutable, because the app edits them as the reader answers.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_validator

FORMAT_VERSION = 1
"""The appraisal file format this version of appraise reads and writes."""


# Pages, years and versions are text however they look: a file's numbers reach the models as their
# source text, and numbers from the Python API become text in pydantic's own validator
# (``coerce_numbers_to_str``, with no Python call per value); true and false are refused there, and
# the message says to quote them (files/validation.py). The JSON Schema says what a file may hold
# (a number is read as text), not only what is kept.
Text = Annotated[str, WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "number"}]})]


def _no_items() -> list[Any]:
    """An empty list, as ``default_factory=list`` gives, minus ~1.3 ms of every command.

    pydantic reads each factory's signature when it builds a validator; ``list``'s is parsed from
    its text by ``tokenize``, whose pattern is compiled for it (once per process, but every command
    validates an appraisal). A function's signature is read directly.
    """
    return []


class Record(BaseModel):
    """Base for parts of an appraisal file: unknown keys are kept, not dropped."""

    # Validators are built on first use, not at import: a command that never validates an appraisal
    # does not pay for them, and the CLI can switch off pydantic's plugin scan before they are built.
    model_config = ConfigDict(extra="allow", validate_assignment=True, defer_build=True, coerce_numbers_to_str=True)


class Answer(Record):
    """The answer to one question, with what supports it."""

    answer: Text | None = Field(None, description="The option code chosen, e.g. 'Y'.")
    note: Text = Field("", description="Why this answer: the reader's justification.")
    quote: Text = Field("", description="Supporting text quoted from the paper.")
    page: Text = Field("", description="Where the quote is: page, table or figure.")

    @property
    def is_empty(self) -> bool:
        """True when nothing at all has been recorded."""
        return not (self.answer or self.note or self.quote or self.page or self.model_extra)


def answer_shorthand(value: Any) -> Any:
    """``A1: Y`` in a hand-written file means ``A1: {answer: Y}``."""
    if isinstance(value, bool):
        word = "Yes" if value else "No"
        raise ValueError(
            f"expected an answer code, not {str(value).lower()}: YAML reads an unquoted {word} as "
            f"true/false; write the checklist's code in quotes, e.g. '{word[0]}'"
        )
    if isinstance(value, str | int | float):
        return {"answer": str(value)}
    return value


AnswerEntry = Annotated[Answer, BeforeValidator(answer_shorthand, json_schema_input_type=Answer | str | int | float)]

_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "item") -> str:
    """A short, file- and id-friendly form of a name: ``'QPR-15 (4 months)'`` → ``qpr-15-4-months``.

    Unicode-aware (python-slugify transliterates): ``Álvarez-Núñez`` → ``alvarez-nunez``, and a
    Chinese title gets its pinyin rather than vanishing.
    """
    from slugify import slugify as transliterate

    slug = _SLUG.sub("-", transliterate(text, lowercase=True)).strip("-")[:48].strip("-")
    return slug or fallback


RATIO_MEASURES = frozenset({"RR", "OR", "HR"})
"""Measures drawn on a log axis, whose null is 1 and whose values must be above 0."""

Measure = Literal["RR", "OR", "MD", "SMD", "HR"]


class Effect(Record):
    """An outcome's result, for the forest plot beside its risk of bias: estimate and confidence interval."""

    measure: Measure = Field(description="RR, OR or HR (ratios, log axis), MD or SMD (differences).")
    estimate: float
    lower: float = Field(description="Lower end of the confidence interval.")
    upper: float = Field(description="Upper end of the confidence interval.")
    weight: float | None = Field(None, ge=0, description="This result's weight; wins over the file's 'weight'.")

    @model_validator(mode="after")
    def _interval(self) -> Effect:
        values = (self.estimate, self.lower, self.upper)
        if not all(math.isfinite(v) for v in values):
            raise ValueError("estimate, lower and upper must be finite numbers")
        if not self.lower <= self.estimate <= self.upper:
            raise ValueError(
                "the interval must hold the estimate: "
                f"lower {self.lower} ≤ estimate {self.estimate} ≤ upper {self.upper}"
            )
        if self.measure in RATIO_MEASURES and self.lower <= 0:
            raise ValueError(f"a {self.measure} is a ratio: estimate and interval must be above 0")
        return self

    @property
    def null(self) -> float:
        """The value of no effect: 1 for ratios, 0 for differences."""
        return 1.0 if self.measure in RATIO_MEASURES else 0.0


_NUMBER = re.compile(r"[-−]?\d+(?:\.\d+)?")
_CI_LEVEL = re.compile(r"\d+(?:\.\d+)?\s*%\s*(?:CI|confidence interval)?", re.IGNORECASE)


def parse_effect(text: str) -> Effect | None:
    """An effect typed as a reader writes it: ``RR 0.80 (0.60 to 1.10)``, ``MD -2.1 [-3.5, -0.7] weight 12``.

    The measure first, then estimate, lower and upper, and optionally the weight; empty text is no
    effect. Raises ``ValueError`` with what is wrong and an example.
    """
    text = text.strip()
    if not text:
        return None
    example = "e.g. 'RR 0.80 (0.60 to 1.10)' or 'MD -2.1 (-3.5 to -0.7) weight 12'"
    measure = text.split()[0].upper()
    if measure not in {"RR", "OR", "MD", "SMD", "HR"}:
        raise ValueError(f"start with the measure: RR, OR, HR, MD or SMD ({example})")
    rest = _CI_LEVEL.sub(" ", text[len(measure) :])
    numbers = [float(n.replace("−", "-")) for n in _NUMBER.findall(rest)]
    if len(numbers) not in (3, 4):
        raise ValueError(f"give the estimate, the lower and upper limits, and optionally a weight ({example})")
    effect = {"measure": measure, "estimate": numbers[0], "lower": numbers[1], "upper": numbers[2]}
    if len(numbers) == 4:
        effect["weight"] = numbers[3]
    try:
        return Effect.model_validate(effect)
    except ValueError as error:  # pydantic's ValidationError: keep only the first message
        errors = getattr(error, "errors", None)
        first = errors()[0]["msg"] if callable(errors) else str(error)
        raise ValueError(str(first).removeprefix("Value error, ")) from None


def format_effect(effect: Effect | None) -> str:
    """An effect as :func:`parse_effect` reads it back: ``RR 0.8 (0.6 to 1.1) weight 12``."""
    if effect is None:
        return ""
    text = f"{effect.measure} {effect.estimate:g} ({effect.lower:g} to {effect.upper:g})"
    return text + (f" weight {effect.weight:g}" if effect.weight is not None else "")


class Outcome(Record):
    """A result appraised separately (per-outcome sections such as peer-support section E)."""

    id: Text = Field(min_length=1, description="Stable id; renaming changes only 'name'.")
    name: Text = ""
    type: Text | None = Field(None, description="e.g. recovery, clinical, service_use.")
    primary: bool = Field(False, description="The pre-specified primary outcome?")
    finding: Text | None = Field(None, description="e.g. benefit, no_difference, harm, unclear.")
    effect: Effect | None = Field(None, description="The result: measure, estimate, lower, upper, weight.")

    @property
    def label(self) -> str:
        """The name, or the id when the outcome has no name."""
        return self.name or self.id

    def fields(self) -> dict[str, Any]:
        """The fields that rules may test (``outcome: primary``, ``outcome: type``…)."""
        return {"primary": self.primary, "type": self.type, "finding": self.finding}


class Override(Record):
    """The reviewer's own judgement where it differs from the proposal (or where none is computed)."""

    judgement: Text = Field(min_length=1)
    reason: Text = ""


class Study(Record):
    """What is being appraised."""

    title: Text = ""
    authors: Text = ""
    year: Text = ""
    doi: Text = ""
    citation: Text = ""

    @property
    def label(self) -> str:
        """'First-author year', the usual way to name a study in tables and figures."""
        surname = first_author_surname(self.authors)
        if surname:
            return f"{surname} {self.year}".strip()
        # No authors: the title names the study better than a bare year would.
        return " ".join(part for part in (" ".join(self.title.split()), self.year) if part) or "untitled study"


_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$")


def _is_initials(word: str) -> bool:
    """``J``, ``J.``, ``JA``, ``Ż`` (initials in any alphabet), not a short surname such as ``Li``."""
    letters = word.replace(".", "")
    return (_INITIALS.match(word) is not None) or (0 < len(letters) <= 3 and letters.isalpha() and letters.isupper())


def first_author_surname(authors: str) -> str:
    """The first author's surname from the ways author lists are usually written.

    ``"Marigold Fenwick-Tarrant, Oluwaseun Brightwater"`` (given names first),
    ``"Fenwick-Tarrant, M.; Brightwater, O."`` (surname first) and
    ``"Fenwick-Tarrant M, Brightwater O"`` (Vancouver) all give ``Fenwick-Tarrant``.
    """
    authors = authors.strip()
    if not authors:
        return ""
    if ";" in authors or " and " in authors:
        first = re.split(r";| and ", authors)[0].strip()
        if "," in first:
            return first.split(",")[0].strip()
    else:
        first = authors.split(",")[0].strip()
    words = first.split()
    if len(words) > 1 and _is_initials(words[-1]):
        return " ".join(words[:-1])
    return words[-1] if words else ""


class ChecklistRef(Record):
    """Which checklist (and version) the answers belong to."""

    id: Text = Field(min_length=1)
    version: Text = ""


class DocumentRef(Record):
    """An attached document: the paper, or a protocol, supplement or registry record."""

    path: Text = Field(min_length=1, description="Relative to the appraisal's folder where it can be.")
    sha256: Text = Field("", description="The file's SHA-256: finds a moved file again, and keys the text cache.")
    pages: int | None = Field(None, ge=0, description="How many pages the text has.")
    role: Text = Field("", description="For other documents: protocol, supplement or registry.")
    title: Text = ""


class Appraisal(Record):
    """One appraisal of one study with one checklist."""

    appraise: int = Field(FORMAT_VERSION, description="File format version.")
    checklist: ChecklistRef
    study: Study = Field(default_factory=Study)
    reviewer: Text = ""
    outcomes: list[Outcome] = Field(default_factory=_no_items)
    answers: dict[str, AnswerEntry] = Field(default_factory=dict)
    outcome_answers: dict[str, dict[str, AnswerEntry]] = Field(default_factory=dict)
    overrides: dict[str, Override] = Field(default_factory=dict)
    paper: DocumentRef | None = Field(None, description="The paper appraised, for reading and checking quotes.")
    documents: list[DocumentRef] = Field(
        default_factory=_no_items, description="Protocol, supplements, registry records."
    )

    @field_validator("answers", "outcome_answers", "overrides", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        # "answers:" with nothing under it reads as null; it means "no answers yet".
        return {} if value is None else value

    @field_validator("outcomes", "documents", mode="before")
    @classmethod
    def _no_outcomes(cls, value: Any) -> Any:
        return [] if value is None else value

    def outcome(self, outcome_id: str) -> Outcome | None:
        """The outcome with this id."""
        return next((o for o in self.outcomes if o.id == outcome_id), None)

    def answer_record(self, question_id: str, outcome_id: str | None = None) -> Answer | None:
        """The stored answer (with note, quote, page) to a question, if any."""
        if outcome_id is None:
            return self.answers.get(question_id)
        return self.outcome_answers.get(outcome_id, {}).get(question_id)

    def codes(self, outcome_id: str | None = None) -> dict[str, str]:
        """The flat map question id → answer code that the judgement engine reads.

        Study-level answers, plus (when ``outcome_id`` is given) that outcome's answers.
        """
        flat = {qid: a.answer for qid, a in self.answers.items() if a.answer}
        if outcome_id is not None:
            for qid, a in self.outcome_answers.get(outcome_id, {}).items():
                if a.answer:
                    flat[qid] = a.answer
        return flat

    def new_outcome_id(self, name: str) -> str:
        """A stable, unique id for a new outcome named ``name``."""
        base = slugify(name, "outcome")
        taken = {o.id for o in self.outcomes}
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def to_data(self, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
        """Plain data for the file: fixed keys first, empty support fields left out.

        ``exclude`` leaves out extra keys (the saver keeps the ever-growing history apart).
        """
        # One dump of the whole appraisal, then tidied: dumping each record again cost more than the
        # dump itself, and the app takes this snapshot on every answer.
        data = self.model_dump(mode="json", exclude_none=False, exclude=set(exclude) or None)
        data["answers"] = _compact(data["answers"])
        data["outcome_answers"] = {oid: _compact(answers) for oid, answers in data["outcome_answers"].items()}
        data["overrides"] = {key: _drop_empty(o) for key, o in data["overrides"].items()}
        data["outcomes"] = [_drop_empty(o, keep={"primary"}) for o in data["outcomes"]]
        data["study"] = _drop_empty(data["study"], keep={"title"})
        # Optional parts are left out when unused, so files without a paper look as they always did.
        if self.paper is None:
            del data["paper"]
        else:
            data["paper"] = _drop_empty(data["paper"])
        if self.documents:
            data["documents"] = [_drop_empty(d.model_dump(mode="json")) for d in self.documents]
        else:
            del data["documents"]
        return data


_ANSWER_FIELDS = frozenset(Answer.model_fields)


def _compact(answers: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Dumped answer records without their empty fields; a record that holds nothing is left out.

    As :attr:`Answer.is_empty` says: a record with keys of the reader's own is kept, even empty ones.
    """
    kept = {}
    for qid, record in answers.items():
        compact = _drop_empty(record)
        if compact or not _ANSWER_FIELDS.issuperset(record):
            kept[qid] = compact
    return kept


def _drop_empty(data: dict[str, Any], keep: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in keep or v not in (None, "", [], {})}
