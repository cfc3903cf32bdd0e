"""The judgement engine: evaluates a checklist's declarative rules and explains every result.

Conditions use three-valued logic: ``True``, ``False`` or ``None`` (unknown, because a question
that is reached has no answer yet, or a section it depends on is incomplete). Rules are tried in
order; a false rule passes to the next, the first true rule decides, and an unknown rule before
any true one leaves the section incomplete - never a guess. Every result carries a trace.

Python here knows no question id: everything comes from the checklist data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from appraise.core.checklist import NOT_APPLICABLE, NOT_REACHED, OVERALL, Checklist, Condition, Question, Rule, Section
from appraise.core.keys import scoped

Truth = bool | None
"""True, false or unknown."""

State = Literal["judged", "incomplete", "not_applicable", "appraiser", "unjudged"]
"""``unjudged``: the section has no judgements at all (questions only, no score by design)."""


StepKind = Literal["yes", "no", "unknown", "default", "start", "down", "cap", "floor", "override", "skip"]


@dataclass(frozen=True)
class TraceStep:
    """One line of a trace: which rule was tried, how it came out, and the facts it read."""

    kind: StepKind
    label: str
    facts: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """``"high (a key safeguard failed): E2 = N"``."""
        return f"{self.label}: {', '.join(self.facts)}" if self.facts else self.label

    def __str__(self) -> str:
        return self.text


@dataclass
class SectionResult:
    """The judgement of one section (for one outcome, where it is answered per outcome)."""

    section_id: str
    outcome_id: str | None
    state: State
    proposed: str | None
    """What the rules give; ``None`` when incomplete or when the judgement is the appraiser's."""
    judgement: str | None
    """The final judgement: the override where there is one, else the proposal."""
    override_reason: str = ""
    trace: str = ""
    steps: list[TraceStep] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    escalate_to: str | None = None
    """A worse judgement the reviewer is invited to consider (e.g. RoB 2 overall)."""

    @property
    def overridden(self) -> bool:
        """True when the reviewer's judgement differs from (or replaces) the proposal."""
        return self.judgement != self.proposed


# --- conditions ---------------------------------------------------------------------------------


def _codes_text(codes: Iterable[str]) -> str:
    return "/".join(codes)


class Evaluator:
    """Evaluates one set of answers (study level, plus one outcome's answers) against a checklist."""

    def __init__(
        self,
        checklist: Checklist,
        answers: Mapping[str, str],
        outcome: Mapping[str, Any] | None = None,
        *,
        outcome_id: str | None = None,
        overrides: Mapping[str, Any] | None = None,
        previous: Evaluator | None = None,
        remember: bool = False,
        brief: bool = False,
    ) -> None:
        self.checklist = checklist
        self.brief = brief
        self.answers = answers
        self.outcome = dict(outcome) if outcome is not None else None
        self.outcome_id = outcome_id
        self.overrides = overrides or {}
        self._reached: dict[str, Truth] = {}
        self._results: dict[str, SectionResult] = {}
        self._busy: set[str] = set()
        # What each result read: the ids of the answers behind it, all the way down. A result whose
        # answers are as they were in ``previous`` (same checklist, outcome and overrides) is reused:
        # after one answer the app judges only what that answer can change. Only an evaluator asked
        # to ``remember`` (or given a ``previous``) keeps this record: a report judges once.
        self._track = remember or previous is not None
        self._read: dict[str, frozenset[str]] = {}
        self._reading: list[set[str]] = []
        self._judged = {k: _override_of(v) for k, v in self.overrides.items()}
        self._context = (checklist, outcome_id, self.outcome, self._judged)
        self._previous = previous if previous is not None and previous._context == self._context else None
        if previous is not None:
            previous._previous = None  # one generation back is all that is read: no chain of them

    def _remembered(self, memo: dict[str, Any], key: str) -> bool:
        """Take a result (``?`` question id, ``@`` section id) from ``previous`` if its answers are as they were."""
        old = self._previous
        if old is None or key not in old._read:
            return False
        read = old._read[key]
        if any(self.answers.get(q) != old.answers.get(q) for q in read):
            return False
        memo[key[1:]] = (old._results if key[0] == "@" else old._reached)[key[1:]]
        self._read[key] = read
        return True

    def _note(self, key: str) -> None:
        """A result just read (``?`` question or ``@`` section) counts with its answers for the one being made."""
        if self._reading:
            self._reading[-1].update(self._read.get(key, ()))

    # answers ------------------------------------------------------------------------------------

    def reached(self, question_id: str) -> Truth:
        """Is the question asked? Unknown while its condition depends on a missing answer."""
        question = self.checklist.questions[question_id]
        section = self.checklist.section_of[question_id]
        if section.ask_when is None and question.ask_when is None:
            return True  # always asked: nothing to read, nothing to remember
        track, key = self._track, f"?{question_id}"
        if question_id in self._reached or (track and self._remembered(self._reached, key)):
            self._note(key)
            return self._reached[question_id]
        self._reached[question_id] = None  # guards against a cycle the loader would have refused
        value: Truth = True
        if track:
            self._reading.append(set())
        try:
            for condition in (section.ask_when, question.ask_when):
                if condition is not None:
                    value = _and(value, self.test(condition)[0])
        finally:
            if track:
                self._read[key] = frozenset(self._reading.pop())
        self._reached[question_id] = value
        self._note(key)
        return value

    def code(self, question_id: str) -> str | None:
        """The answer that counts: the chosen code, ``NA`` if not asked, ``None`` if unknown."""
        reached = self.reached(question_id)
        if reached is False:
            return NOT_REACHED
        if reached is None:
            return None
        return self.valid_answer(self.checklist.questions[question_id])

    def valid_answer(self, question: Question) -> str | None:
        """The stored answer if it is one the question offers (any text for a text question)."""
        if self._reading:
            self._reading[-1].add(question.id)
        code = self.answers.get(question.id)
        if not code:
            return None
        if question.kind == "text" or code in question.codes:
            return code
        return None

    # conditions ---------------------------------------------------------------------------------

    def test(self, condition: Condition) -> tuple[Truth, list[str]]:
        """Evaluate a condition; return its truth and the facts that decided it."""
        form = condition.form
        if form == "answer":
            assert condition.answer is not None and condition.in_ is not None
            return self._test_answer(condition.answer, condition.in_)
        if form == "judgement":
            assert condition.judgement is not None and condition.in_ is not None
            result = self.section(condition.judgement)
            if result.judgement is None:
                return None, [f"{condition.judgement} not yet judged"]
            return result.judgement in condition.in_, [f"{condition.judgement} = {result.judgement}"]
        if form == "outcome":
            return self._test_outcome(condition)
        if form == "count":
            return self._test_count(condition)
        if form == "not":
            assert condition.not_ is not None
            value, facts = self.test(condition.not_)
            return (None if value is None else not value), facts
        parts = condition.all_ if form == "all" else condition.any_
        assert parts is not None
        return self._combine(form == "all", parts)

    def _test_answer(self, question_id: str, codes: list[str]) -> tuple[Truth, list[str]]:
        code = self.code(question_id)
        if code is None:
            reached = self.reached(question_id)
            return None, [f"{question_id} unanswered" if reached else f"{question_id} waiting"]
        if code == NOT_REACHED and NOT_REACHED not in self.checklist.questions[question_id].codes:
            return code in codes, [f"{question_id} not asked"]
        return code in codes, [f"{question_id} = {code}"]

    def _test_outcome(self, condition: Condition) -> tuple[Truth, list[str]]:
        if self.outcome is None:
            return None, ["no outcome chosen"]
        name = condition.outcome
        assert name is not None
        value = self.outcome.get(name)
        if name == "primary":
            return bool(value), ["primary outcome" if value else "not the primary outcome"]
        if value is None:
            return None, [f"outcome {name} not given"]
        assert condition.in_ is not None
        return str(value) in condition.in_, [f"outcome {name} = {value}"]

    def _test_count(self, condition: Condition) -> tuple[Truth, list[str]]:
        assert condition.count is not None and condition.in_ is not None
        hits: list[str] = []
        unknown: list[str] = []
        for ref in condition.count:
            if ref in self.checklist.questions:
                value = self.code(ref)
            else:
                value = self.section(ref).judgement
            if value is None:
                unknown.append(ref)
            elif value in condition.in_:
                hits.append(ref)
        least = len(hits)
        most = len(hits) + len(unknown)
        low = condition.at_least if condition.at_least is not None else 0
        high = condition.at_most if condition.at_most is not None else len(condition.count)
        where = f" ({', '.join(hits)})" if hits else ""
        fact = f"{least} of {', '.join(condition.count)} {_codes_text(condition.in_)}{where}"
        if least >= low and most <= high:
            return True, [fact]
        if most < low or least > high:
            return False, [fact]
        return None, [fact + f"; {', '.join(unknown)} still open"]

    def _combine(self, is_all: bool, parts: list[Condition]) -> tuple[Truth, list[str]]:
        # all: false if one part is false; any: true if one part is true; else unknown or the rest.
        decisive = not is_all
        unknown_facts: list[str] = []
        every_fact: list[str] = []
        saw_unknown = False
        for part in parts:
            value, facts = self.test(part)
            if value is decisive:
                return decisive, facts
            if value is None:
                saw_unknown = True
                unknown_facts.extend(facts)
            every_fact.extend(facts)
        if saw_unknown:
            return None, unknown_facts
        return (not decisive), every_fact

    # sections -----------------------------------------------------------------------------------

    def section(self, section_id: str) -> SectionResult:
        """The (memoised) result of a section or of ``overall``."""
        track, key = self._track, f"@{section_id}"
        if section_id in self._results or (track and self._remembered(self._results, key)):
            self._note(key)
            return self._results[section_id]
        if section_id in self._busy:  # a cycle: refused at load, never guessed at run time
            return SectionResult(section_id, self.outcome_id, "incomplete", None, None, trace="cycle")
        self._busy.add(section_id)
        if track:
            self._reading.append(set())
        try:
            result = self._judge(self.checklist.judged[section_id])
        finally:
            self._busy.discard(section_id)
            if track:
                self._read[key] = frozenset(self._reading.pop())
        self._results[section_id] = result
        self._note(key)
        return result

    def is_per_outcome(self, section: Section) -> bool:
        """Per-outcome sections, and the overall judgement of a checklist that has them."""
        return self.checklist.judged_per_outcome(section)

    def _judge(self, section: Section) -> SectionResult:
        outcome_id = self.outcome_id if self.is_per_outcome(section) else None
        result = SectionResult(section.id, outcome_id, "judged", None, None)
        name = section.id if section.id != OVERALL else "Overall"
        if section.ask_when is not None:
            applies, facts = self.test(section.ask_when)
            if applies is False:
                result.state, result.proposed = "not_applicable", NOT_APPLICABLE
                result.steps.append(TraceStep("skip", "not applicable", tuple(facts)))
            elif applies is None:
                result.state = "incomplete"
                result.steps.append(TraceStep("unknown", "waiting for", tuple(facts)))
        if result.state == "judged":
            if section.method == "rules":
                self._by_rules(section, result)
            elif section.method == "levels":
                self._by_levels(section, result)
            elif section.method == "appraiser":
                result.state = "appraiser"
                result.steps.append(TraceStep("skip", "no rule: this is the appraiser's own judgement"))
            else:
                result.state = "unjudged"
                result.steps.append(TraceStep("skip", "no judgement: questions only"))
        self._apply_override(section, result)
        # Messages may read this section's own (final) judgement: make it visible before they run.
        self._results[section.id] = result
        if self.brief:  # a summary of many reads neither the messages nor the trace line
            result.messages.clear()
            return result
        if result.state != "not_applicable":
            self._attach_messages(section, result)
        result.trace = _one_line(name, result)
        return result

    def _first_match(self, rules: list[Rule], result: SectionResult) -> tuple[Truth, Rule | None]:
        for rule in rules:
            value, facts = self.test(rule.when)
            label = f"{rule.then} ({rule.because})" if rule.because else rule.then
            if value is True:
                result.steps.append(TraceStep("yes", label, tuple(facts)))
                return True, rule
            if value is None:
                result.steps.append(TraceStep("unknown", f"{label}? waiting for", tuple(facts)))
                return None, None
            result.steps.append(TraceStep("no", f"not {label}", tuple(facts)))
        return False, None

    def _by_rules(self, section: Section, result: SectionResult) -> None:
        matched, rule = self._first_match(section.rules, result)
        if matched is None:
            result.state = "incomplete"
            return
        if rule is not None:
            result.proposed = rule.then
            if rule.message:
                result.messages.append(rule.message)
        else:
            result.proposed = section.default
            result.steps.append(TraceStep("default", f"{section.default} (no rule above holds)"))

    def _by_levels(self, section: Section, result: SectionResult) -> None:
        levels = [j.code for j in section.judgements]
        matched, rule = self._first_match(section.start, result)
        if matched is not True or rule is None:
            result.state = "incomplete"
            if matched is False:
                result.steps.append(TraceStep("unknown", "no starting level applies"))
            return
        if rule.message:
            result.messages.append(rule.message)
        index = levels.index(rule.then)
        result.steps[-1] = TraceStep("start", f"start at {rule.then}", result.steps[-1].facts)
        for step in section.steps:
            value, facts = self.test(step.when)
            if value is None:
                result.state = "incomplete"
                result.steps.append(TraceStep("unknown", "waiting for", tuple(facts)))
                return
            if value:
                index += step.down
                why = f" ({step.because})" if step.because else ""
                result.steps.append(TraceStep("down", f"−{step.down}{why}", tuple(facts)))
                if step.message:
                    result.messages.append(step.message)
        floor = levels.index(section.floor) if section.floor else len(levels) - 1
        if index > floor:
            index = floor
            result.steps.append(TraceStep("floor", f"no lower than {levels[floor]}"))
        for cap in section.caps:
            value, facts = self.test(cap.when)
            if value is None:
                result.state = "incomplete"
                result.steps.append(TraceStep("unknown", "waiting for", tuple(facts)))
                return
            if value:
                why = f" ({cap.because})" if cap.because else ""
                result.steps.append(TraceStep("cap", f"at most {cap.at}{why}", tuple(facts)))
                index = max(index, levels.index(cap.at))
                if cap.message:
                    result.messages.append(cap.message)
        result.proposed = levels[index]

    def _attach_messages(self, section: Section, result: SectionResult) -> None:
        for note in section.messages:
            if self.test(note.when)[0] is True:
                result.messages.append(note.message)
        if section.escalate is not None and self.test(section.escalate.when)[0] is True:
            levels = [j.code for j in section.judgements]
            target = section.escalate.then
            # Invite only while the final judgement is still better than the target.
            if result.judgement in levels and levels.index(target) > levels.index(result.judgement):
                result.escalate_to = target
                if section.escalate.message:
                    result.messages.append(section.escalate.message)

    def _apply_override(self, section: Section, result: SectionResult) -> None:
        key = scoped(section.id, result.outcome_id)
        override = self._judged.get(key)
        result.judgement = result.proposed
        if override is None or result.state == "not_applicable":
            return
        code, reason = override
        if code and section.judgement(code) is not None:
            result.judgement = code
            result.override_reason = reason or ""
            if code != result.proposed:
                because = f": {reason}" if reason else ""
                result.steps.append(TraceStep("override", f"reviewer's judgement {code}{because}"))


def _override_of(override: Any) -> tuple[Any, Any]:
    """(judgement, reason) of an override, from the model or a plain mapping."""
    if isinstance(override, Mapping):
        return override.get("judgement"), override.get("reason", "")
    return getattr(override, "judgement", None), getattr(override, "reason", "")


def _and(a: Truth, b: Truth) -> Truth:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def _one_line(name: str, result: SectionResult) -> str:
    """``"D1: 1.2 = PY, 1.1 = N → some_concerns"``: the facts read, in order, then the result."""
    facts: list[str] = []
    for step in result.steps:
        if step.kind not in {"default", "floor", "override"}:
            facts.extend(fact for fact in step.facts if fact not in facts)
    if result.state == "not_applicable":
        outcome = NOT_APPLICABLE
    elif result.state == "appraiser":
        outcome = result.judgement or "the appraiser's judgement (not yet given)"
        return f"{name}: {outcome}"
    elif result.state == "unjudged":
        return f"{name}: not judged (questions only)"
    elif result.judgement is None:
        outcome = "incomplete"
    else:
        outcome = result.proposed or "incomplete"
    text = f"{name}: {', '.join(facts)} → {outcome}" if facts else f"{name} → {outcome}"
    if result.overridden and result.judgement:
        text += f"; reviewer: {result.judgement}"
    return text


# --- whole appraisals ---------------------------------------------------------------------------


def judge(
    checklist: Checklist,
    answers: Mapping[str, Any],
    outcome: Mapping[str, Any] | None = None,
) -> dict[str, str | None]:
    """Propose a judgement for every section and ``overall`` from a flat map of answers.

    ``answers`` maps question id → answer code (study-level answers plus, for per-outcome
    sections, the answers for one outcome). ``outcome`` gives that outcome's fields, e.g.
    ``{"primary": True, "type": "recovery"}``; by default the outcome is a primary one.
    Values are a judgement code, ``"not_applicable"``, or ``None`` where the section is
    incomplete or the judgement is the appraiser's own.
    """
    codes = {str(k): _code_of(v) for k, v in answers.items()}
    fields = {"primary": True} if outcome is None else dict(outcome)
    evaluator = Evaluator(checklist, {k: v for k, v in codes.items() if v}, fields)
    return {section_id: evaluator.section(section_id).proposed for section_id in checklist.judged}


def _code_of(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        value = value.get("answer")
    else:
        value = getattr(value, "answer", value)
    return None if value is None else str(value)
