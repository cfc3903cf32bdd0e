"""Checklist definitions as pydantic models: sections, questions, options and declarative rules.

A checklist is data (a YAML file in ``checklists/``); these models say what such a file may
contain. They are strict (``extra="forbid"``) so that a misspelt key is an error with a line
number, not a silently ignored setting. Cross-references (question ids in rules, codes that must
be among a question's options, cycles between sections) are checked by :mod:`appraise.files.checklists`.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator

from appraise.core.hints import bool_hint

NOT_APPLICABLE = "not_applicable"
"""The judgement of a section whose ``ask_when`` does not hold."""

NOT_REACHED = "NA"
"""The answer code of a question that is not asked (its ``ask_when`` does not hold)."""

OVERALL = "overall"
"""The id of the overall judgement, which is evaluated like a section without questions."""

Concern = Literal["low", "some", "high", "critical", "none", "na"]
"""How worrying a judgement is, whatever its words: drives colour and glyph everywhere.

``low`` + green, ``some`` − yellow, ``high`` × red, ``critical`` ! dark red, ``none`` ? blue
(no information), ``na`` · grey. Confidence scales map onto it so that red always means a problem.
"""


def _codes(value: Any) -> Any:
    """Accept one code or a list of codes; refuse YAML booleans with the quoting hint."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, bool):
            raise ValueError(f"a code must be text, not {str(item).lower()}{bool_hint(item)}")
    return items


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected text, not {str(value).lower()}{bool_hint(value)}")
    return value


Code = Annotated[str, BeforeValidator(_text)]
Codes = Annotated[list[Code], BeforeValidator(_codes)]


class Definition(BaseModel):
    """Base for everything in a checklist file: strict, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Option(Definition):
    """One answer a question offers."""

    code: Code = Field(min_length=1, description="Stable code stored in appraisal files, e.g. Y.")
    label: str = Field(min_length=1, description="What the reader sees, e.g. 'Yes'.")
    hint: str = Field("", description="When to choose this answer.")


class Judgement(Definition):
    """One judgement a section can reach, with how worrying it is."""

    code: Code = Field(min_length=1)
    label: str = Field(min_length=1)
    concern: Concern = Field(description="low, some, high, critical, none or na: drives colour.")
    description: str = ""


class Condition(Definition):
    """A test on answers, judgements or outcome fields, evaluated with three-valued logic.

    Exactly one of these forms::

        {answer: E1, in: [N, U]}            the answer to a question is one of the codes
        {judgement: E, in: [high]}          another section's judgement is one of the codes
        {outcome: primary}                  a yes/no field of the outcome being judged
        {outcome: type, in: [recovery]}     a coded field of the outcome being judged
        {count: [E1, E2, E3], in: [N], at_least: 2}   how many answers are among the codes
        {all: [...]}  {any: [...]}  {not: {...}}
    """

    answer: Code | None = None
    judgement: Code | None = None
    outcome: Literal["primary", "type", "finding"] | None = None
    count: list[Code] | None = None
    in_: Codes | None = Field(None, alias="in")
    at_least: int | None = Field(None, ge=0)
    at_most: int | None = Field(None, ge=0)
    all_: list[Condition] | None = Field(None, alias="all", min_length=1)
    any_: list[Condition] | None = Field(None, alias="any", min_length=1)
    not_: Condition | None = Field(None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        heads = [
            name
            for name, value in (
                ("answer", self.answer),
                ("judgement", self.judgement),
                ("outcome", self.outcome),
                ("count", self.count),
                ("all", self.all_),
                ("any", self.any_),
                ("not", self.not_),
            )
            if value is not None
        ]
        if len(heads) != 1:
            found = ", ".join(heads) if heads else "none"
            raise ValueError(
                f"a condition needs exactly one of answer, judgement, outcome, count, all, any, not (found: {found})"
            )
        head = heads[0]
        if head in {"answer", "judgement", "count"} and not self.in_:
            raise ValueError(f"'{head}' needs 'in': the codes that make the condition true")
        if head == "outcome" and self.outcome == "primary" and self.in_ is not None:
            raise ValueError("'outcome: primary' is true for a primary outcome; it takes no 'in'")
        if head == "outcome" and self.outcome != "primary" and not self.in_:
            raise ValueError(f"'outcome: {self.outcome}' needs 'in': the values that make it true")
        if head in {"all", "any", "not"} and self.in_ is not None:
            raise ValueError(f"'in' belongs to answer, judgement, count or outcome, not to '{head}'")
        if head == "count":
            if self.at_least is None and self.at_most is None:
                raise ValueError("'count' needs 'at_least' or 'at_most' (or both)")
        elif self.at_least is not None or self.at_most is not None:
            raise ValueError("'at_least' and 'at_most' belong to 'count'")
        return self

    @cached_property
    def form(self) -> str:
        """Which of the forms this condition takes (once per condition: the engine asks at every test)."""
        for name in ("answer", "judgement", "outcome", "count"):
            if getattr(self, name) is not None:
                return name
        return "all" if self.all_ is not None else "any" if self.any_ is not None else "not"


class Rule(Definition):
    """If ``when`` holds, the section's judgement is ``then`` (first true rule wins)."""

    when: Condition
    then: Code
    message: str = Field("", description="Interpretation shown with the judgement when this rule decides.")
    because: str = Field("", description="A few words for the trace, e.g. 'a key safeguard failed'.")


class Note(Definition):
    """A message attached whenever its condition holds; it never changes a judgement."""

    when: Condition
    message: str = Field(min_length=1)


class Step(Definition):
    """Level arithmetic: when the condition holds, move the level down by ``down`` steps."""

    when: Condition
    down: int = Field(1, ge=1)
    because: str = ""
    message: str = ""


class Cap(Definition):
    """Level arithmetic: when the condition holds, the level can be no better than ``at``."""

    when: Condition
    at: Code
    because: str = ""
    message: str = ""


class Question(Definition):
    """One question of a checklist."""

    id: Code = Field(min_length=1, description="Stable id, e.g. 'B4' or '1.2'.")
    text: str = Field(min_length=1)
    short: str = Field("", description="A few words for navigators and tables.")
    why: str = Field("", description="Why it matters.")
    where: str = Field("", description="Where to look in a paper.")
    critical: bool = Field(False, description="Critical items drive the section judgement.")
    optional: bool = Field(False, description="Counted in progress only once answered (e.g. direction of bias).")
    kind: Literal["choice", "text"] = "choice"
    options: list[Option] = Field(default_factory=list)
    ask_when: Condition | None = Field(None, description="Asked only when this holds; otherwise NA.")
    skip_reason: str = Field("", description="Shown when the question is not asked.")
    terms: list[str] = Field(default_factory=list, description="Glossary terms this question uses.")
    look_for: list[str] = Field(
        default_factory=list,
        description="Words and phrases to scan the paper for; rank passages when asked (l in the paper pane).",
    )

    @model_validator(mode="after")
    def _options_fit_kind(self) -> Question:
        if self.kind == "choice" and not self.options:
            raise ValueError("a choice question needs 'options' (a list, or the name of an answer set)")
        if self.kind == "text" and self.options:
            raise ValueError("a text question takes no 'options'")
        codes = [option.code for option in self.options]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"option codes must be unique; repeated: {', '.join(duplicates)}")
        return self

    @cached_property
    def codes(self) -> tuple[str, ...]:
        """The codes a reader may choose."""
        return tuple(option.code for option in self.options)

    def option(self, code: str) -> Option | None:
        """The option with this code, if the question offers it."""
        return next((o for o in self.options if o.code == code), None)


class Section(Definition):
    """A group of questions with its own judgement (a domain).

    A section is judged by ordered ``rules`` (first true wins, else ``default``), or by level
    arithmetic (``start`` rules, then ``steps`` down, a ``floor`` and ``caps``), or - with neither -
    by the appraiser alone. A section without ``judgements`` is not judged at all (questions only,
    e.g. a CASP-style checklist that has no score by design).
    """

    id: Code = Field(min_length=1)
    title: str = Field(min_length=1)
    short: str = Field("", description="One or two words for navigators.")
    description: str = ""
    per_outcome: bool = Field(False, description="Answered separately for each outcome.")
    ask_when: Condition | None = Field(None, description="Otherwise the section is not applicable.")
    questions: list[Question] = Field(default_factory=list)
    judgements: list[Judgement] = Field(default_factory=list, description="Best first.")
    rules: list[Rule] = Field(default_factory=list)
    default: Code | None = None
    start: list[Rule] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    caps: list[Cap] = Field(default_factory=list)
    floor: Code | None = None
    messages: list[Note] = Field(default_factory=list)
    escalate: Rule | None = Field(
        None, description="When to invite the reviewer to make the judgement worse, with a reason."
    )

    @model_validator(mode="after")
    def _one_method(self) -> Section:
        uses_rules = bool(self.rules) or self.default is not None
        uses_levels = bool(self.start or self.steps or self.caps) or self.floor is not None
        if uses_rules and uses_levels:
            raise ValueError("judge a section by 'rules' or by level arithmetic ('start', 'steps'), not both")
        if self.rules and self.default is None:
            raise ValueError("'rules' need a 'default': the judgement when no rule holds")
        if (self.steps or self.caps or self.floor) and not self.start:
            raise ValueError("level arithmetic needs 'start' rules that choose the starting level")
        if (uses_rules or uses_levels) and not self.judgements:
            raise ValueError("a judged section needs 'judgements': the codes it can reach, best first")
        return self

    @property
    def method(self) -> Literal["rules", "levels", "appraiser", "none"]:
        """How the section's judgement is reached: rules, levels, the appraiser, or not at all."""
        if self.rules or self.default is not None:
            return "rules"
        if self.start:
            return "levels"
        return "appraiser" if self.judgements else "none"

    @property
    def label(self) -> str:
        """The short name, falling back to the title."""
        return self.short or self.title

    def judgement(self, code: str | None) -> Judgement | None:
        """The judgement with this code, if the section has it."""
        return next((j for j in self.judgements if j.code == code), None)


class OutcomeFields(Definition):
    """The vocabulary of outcomes for checklists with per-outcome sections."""

    types: list[Option] = Field(default_factory=list)
    findings: list[Option] = Field(default_factory=list)


RobvisTemplate = Literal["ROB2", "ROB2-Cluster", "ROBINS-I", "ROBINS-E", "QUADAS-2", "QUIPS", "Generic"]
"""The robvis templates (``tool =`` in the R package); their rules are in :mod:`appraise.reports.robvis`."""


class Robvis(Definition):
    """How a checklist's final judgements become a robvis summary table (``appraise summary -f robvis``).

    ::

        robvis:
          template: ROB2
          columns: {D1: D1, D2: D2, D3: D3, D4: D4, D5: D5, overall: Overall}
          labels: {low: Low, some_concerns: Some concerns, high: High}
    """

    template: RobvisTemplate = Field(description="The robvis template (tool) the table is made for.")
    columns: dict[Code, str] = Field(
        min_length=1,
        description="Section id -> column name, in the tool's domain order, ending with 'overall'.",
    )
    labels: dict[Code, str] = Field(
        default_factory=dict,
        description="Judgement code -> robvis label (written in full, e.g. 'Some concerns'), for every column.",
    )
    section_labels: dict[Code, dict[Code, str]] = Field(
        default_factory=dict,
        description="Section id -> (judgement code -> robvis label), where one section's codes need other labels.",
    )

    def label(self, section_id: str, code: str) -> str | None:
        """The robvis label of a section's judgement code: the section's own mapping first, then the global one."""
        return self.section_labels.get(section_id, {}).get(code) or self.labels.get(code)


class Checklist(Definition):
    """An appraisal instrument: sections of questions and the rules that judge them."""

    id: Code = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    version: Code = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = Field("", description="One line shown when choosing a checklist.")
    citation: str = Field("", description="The instrument(s) this checklist draws on, with versions.")
    notice: str = Field("", description="Licensing note, e.g. that wording is the project's own.")
    answer_sets: dict[str, list[Option]] = Field(
        default_factory=dict, description="Named option lists that questions can refer to by name."
    )
    outcomes: OutcomeFields | None = None
    sections: list[Section] = Field(min_length=1)
    overall: Section | None = None
    robvis: Robvis | None = Field(None, description="How judgements map onto a robvis template, for figures.")
    warnings: list[Note] = Field(
        default_factory=list,
        description="Checks between answers and outcomes (per outcome); shown as warnings, never judging.",
    )
    closing: str = Field("", description="A last word for reports: how to read the appraisal with other evidence.")

    _path: str = PrivateAttr("")

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Every question by id, in checklist order."""
        return {q.id: q for section in self.sections for q in section.questions}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        """The section each question belongs to."""
        return {q.id: section for section in self.sections for q in section.questions}

    @cached_property
    def judged(self) -> dict[str, Section]:
        """Every section by id, plus the overall judgement under ``overall``."""
        found = {section.id: section for section in self.sections}
        if self.overall is not None:
            found[OVERALL] = self.overall
        return found

    @property
    def per_outcome(self) -> bool:
        """Whether some sections (and so the overall judgement) are answered per outcome."""
        return any(section.per_outcome for section in self.sections)

    def judged_per_outcome(self, section: Section | str) -> bool:
        """Whether a section (or the overall judgement) is judged once per outcome rather than once per study.

        The one home of this decision: sections say so themselves, and the overall judgement follows
        whenever any section is per outcome.
        """
        found = self.judged.get(section) if isinstance(section, str) else section
        if found is None:
            return False
        return found.per_outcome or (found.id == OVERALL and self.per_outcome)

    @property
    def path(self) -> str:
        """The file this checklist was loaded from (set by the loader)."""
        return self._path
