"""Cross-references in a checklist: every id and code its rules mention exists, and nothing is circular.

Unknown question or section ids, codes that a question does not offer, conditions that read
per-outcome answers from a study-level section, cycles between sections, and the robvis mapping.
"""

from __future__ import annotations

from appraise.core.checklist import NOT_APPLICABLE, NOT_REACHED, OVERALL, Checklist, Condition, Section
from appraise.core.hints import suggestion
from appraise.files.validation import describe
from appraise.files.yamlio import Document, Loc, Problem
from appraise.reports.robvis import problems as robvis_problems


def check_references(doc: Document, checklist: Checklist, unresolved: set[str]) -> list[Problem]:
    """Every problem with the checklist's cross-references (``unresolved``: answer sets that were not found)."""
    return _References(doc, checklist, unresolved).check()


class _References:
    """Checks that every id and code a checklist mentions exists and that nothing is circular."""

    def __init__(self, doc: Document, checklist: Checklist, unresolved: set[str]) -> None:
        self.doc = doc
        self.checklist = checklist
        self.unresolved = unresolved
        self.problems: list[Problem] = []
        self.depends: dict[str, set[str]] = {}

    def check(self) -> list[Problem]:
        c = self.checklist
        self._unique([(("sections", i, "id"), s.id) for i, s in enumerate(c.sections)], "section id")
        self._unique(
            [
                (("sections", i, "questions", j, "id"), q.id)
                for i, s in enumerate(c.sections)
                for j, q in enumerate(s.questions)
            ],
            "question id",
        )
        for i, section in enumerate(c.sections):
            if section.id == OVERALL:
                self._add(("sections", i, "id"), "'overall' is reserved for the overall judgement")
            self._section(section, ("sections", i))
            for j, question in enumerate(section.questions):
                node = f"q:{question.id}"
                self.depends.setdefault(node, set())
                if section.ask_when is not None:
                    self._condition(section.ask_when, ("sections", i, "ask_when"), section, node)
                if question.ask_when is not None:
                    self._condition(question.ask_when, ("sections", i, "questions", j, "ask_when"), section, node)
        if c.overall is not None:
            if c.overall.id != OVERALL:
                self._add(("overall", "id"), f"the overall judgement's id must be '{OVERALL}'")
            if c.overall.questions:
                self._add(("overall", "questions"), "the overall judgement has no questions of its own")
            self._section(c.overall, ("overall",))
        if c.per_outcome and c.outcomes is None:
            self._add(
                ("sections",),
                "per-outcome sections need 'outcomes' with the outcome types and findings",
                severity="error",
            )
        # Warnings are read per outcome once everything is judged, like the overall judgement's messages.
        scope = c.overall or Section(id=OVERALL, title="Warnings")
        self.depends.setdefault("w:", set())
        for k, note in enumerate(c.warnings):
            self._condition(note.when, ("warnings", k, "when"), scope, "w:")
        self._cycles()
        self._robvis()
        return self.problems

    def _robvis(self) -> None:
        """The robvis mapping names judged sections, accepted labels and a label for every judgement."""
        if self.checklist.robvis is not None:
            for where, message in robvis_problems(self.checklist, self.checklist.robvis):
                self._add(("robvis", *where), message)

    def _add(self, loc: Loc, message: str, severity: str = "error") -> None:
        where = describe(loc, self.doc.data)
        self.problems.append(self.doc.problem(loc, f"{where}: {message}" if where else message, severity=severity))

    def _unique(self, items: list[tuple[Loc, str]], what: str) -> None:
        seen: set[str] = set()
        for loc, value in items:
            if value in seen:
                self._add(loc, f"{what} {value!r} is used twice; ids must be unique")
            seen.add(value)

    def _section(self, section: Section, loc: Loc) -> None:
        node = f"s:{section.id}"
        self.depends.setdefault(node, set())
        codes = [j.code for j in section.judgements]
        self._unique([((*loc, "judgements", k, "code"), code) for k, code in enumerate(codes)], "judgement code")

        def judgement_code(code: str | None, where: Loc) -> None:
            if code is not None and code not in codes:
                self._add(
                    where,
                    f"{code!r} is not one of this section's judgements ({', '.join(codes)}){suggestion(code, codes)}",
                )

        judgement_code(section.default, (*loc, "default"))
        judgement_code(section.floor, (*loc, "floor"))
        if section.ask_when is not None:
            self._condition(section.ask_when, (*loc, "ask_when"), section, node)
        for key, rules in (("rules", section.rules), ("start", section.start)):
            for k, rule in enumerate(rules):
                judgement_code(rule.then, (*loc, key, k, "then"))
                self._condition(rule.when, (*loc, key, k, "when"), section, node)
        for k, step in enumerate(section.steps):
            self._condition(step.when, (*loc, "steps", k, "when"), section, node)
        for k, cap in enumerate(section.caps):
            judgement_code(cap.at, (*loc, "caps", k, "at"))
            self._condition(cap.when, (*loc, "caps", k, "when"), section, node)
        # Messages are read after the judgement, so they may test the section's own judgement.
        notes = f"m:{section.id}"
        self.depends.setdefault(notes, set())
        for k, note in enumerate(section.messages):
            self._condition(note.when, (*loc, "messages", k, "when"), section, notes)
        if section.escalate is not None:
            judgement_code(section.escalate.then, (*loc, "escalate", "then"))
            self._condition(section.escalate.when, (*loc, "escalate", "when"), section, node)

    def _condition(self, cond: Condition, loc: Loc, owner: Section, node: str) -> None:
        form = cond.form
        if form in {"all", "any"}:
            for k, part in enumerate(cond.all_ or cond.any_ or []):
                self._condition(part, (*loc, form, k), owner, node)
        elif form == "not":
            assert cond.not_ is not None
            self._condition(cond.not_, (*loc, "not"), owner, node)
        elif form == "answer":
            assert cond.answer is not None
            self._question_ref(cond.answer, cond.in_ or [], (*loc, "answer"), (*loc, "in"), owner, node)
        elif form == "judgement":
            assert cond.judgement is not None
            self._section_ref(cond.judgement, cond.in_ or [], (*loc, "judgement"), (*loc, "in"), owner, node)
        elif form == "count":
            for k, ref in enumerate(cond.count or []):
                where: Loc = (*loc, "count", k)
                if ref in self.checklist.questions:
                    self._question_ref(ref, cond.in_ or [], where, (*loc, "in"), owner, node, lenient=True)
                else:
                    self._section_ref(ref, cond.in_ or [], where, (*loc, "in"), owner, node, lenient=True)
            self._count_codes_used(cond, loc)
        elif form == "outcome":
            if not self.checklist.judged_per_outcome(owner):
                self._add(
                    (*loc, "outcome"),
                    f"section {owner.id} is judged once for the study, so it "
                    "cannot test the outcome; only per-outcome sections and the overall judgement can",
                )
            vocabulary = self.checklist.outcomes
            if cond.outcome in {"type", "finding"} and vocabulary is not None:
                allowed = [o.code for o in (vocabulary.types if cond.outcome == "type" else vocabulary.findings)]
                for k, value in enumerate(cond.in_ or []):
                    if value not in allowed:
                        self._add(
                            (*loc, "in", k),
                            f"{value!r} is not an outcome {cond.outcome} "
                            f"({', '.join(allowed)}){suggestion(value, allowed)}",
                        )

    def _question_ref(
        self, qid: str, codes: list[str], where: Loc, codes_loc: Loc, owner: Section, node: str, lenient: bool = False
    ) -> None:
        question = self.checklist.questions.get(qid)
        if question is None:
            self._add(where, f"no question {qid!r} in this checklist{suggestion(qid, self.checklist.questions)}")
            return
        self.depends[node].add(f"q:{qid}")
        home = self.checklist.section_of[qid]
        if home.per_outcome and not self.checklist.judged_per_outcome(owner):
            self._add(
                where,
                f"{qid} is answered per outcome, but section {owner.id} is judged once for the "
                "study; only per-outcome sections and the overall judgement can read it",
            )
        if lenient or question.kind == "text" or qid in self.unresolved:
            return
        allowed = list(question.codes)
        if question.ask_when is not None or home.ask_when is not None:
            allowed.append(NOT_REACHED)
        for k, code in enumerate(codes):
            if code not in allowed:
                self._add(
                    (*codes_loc, k),
                    f"{qid} has no answer {code!r} (its answers: {', '.join(allowed)}){suggestion(code, allowed)}",
                )

    def _section_ref(
        self, sid: str, codes: list[str], where: Loc, codes_loc: Loc, owner: Section, node: str, lenient: bool = False
    ) -> None:
        target = self.checklist.judged.get(sid) if sid != OVERALL else None
        if target is None:
            names = [s.id for s in self.checklist.sections] + list(self.checklist.questions)
            self._add(where, f"no section {sid!r} in this checklist{suggestion(sid, names)}")
            return
        self.depends[node].add(f"s:{sid}")
        if self.checklist.judged_per_outcome(target) and not self.checklist.judged_per_outcome(owner):
            self._add(
                where,
                f"section {sid} is judged per outcome, but section {owner.id} is judged once "
                "for the study; only per-outcome sections and the overall judgement can read it",
            )
        if lenient:
            return
        allowed = [j.code for j in target.judgements]
        if target.ask_when is not None:
            allowed.append(NOT_APPLICABLE)
        for k, code in enumerate(codes):
            if code not in allowed:
                self._add(
                    (*codes_loc, k),
                    f"section {sid} has no judgement {code!r} "
                    f"(its judgements: {', '.join(allowed)}){suggestion(code, allowed)}",
                )

    def _count_codes_used(self, cond: Condition, loc: Loc) -> None:
        """A count's codes must mean something for at least one of the things it counts."""
        offered: set[str] = {NOT_REACHED, NOT_APPLICABLE}
        for ref in cond.count or []:
            if ref in self.checklist.questions:
                offered.update(self.checklist.questions[ref].codes)
            elif ref in self.checklist.judged:
                offered.update(j.code for j in self.checklist.judged[ref].judgements)
        for k, code in enumerate(cond.in_ or []):
            if code not in offered:
                self._add((*loc, "in", k), f"none of the counted items can be {code!r}{suggestion(code, offered)}")

    def _cycles(self) -> None:
        """Refuse conditions that depend on themselves (D1 reads D2 reads D1), naming the loop."""
        state: dict[str, int] = {}
        stack: list[str] = []
        reported: set[frozenset[str]] = set()

        def visit(node: str) -> None:
            state[node] = 1
            stack.append(node)
            for nxt in sorted(self.depends.get(node, ())):
                if state.get(nxt) == 1:
                    loop = [*stack[stack.index(nxt) :], nxt]
                    if frozenset(loop) not in reported:
                        reported.add(frozenset(loop))
                        self._add(
                            self._loc_of(loop[0]),
                            "circular rules: "
                            + " → ".join(n[2:] for n in loop)
                            + "; a judgement cannot depend on itself",
                        )
                elif state.get(nxt) is None:
                    visit(nxt)
            stack.pop()
            state[node] = 2

        for node in sorted(self.depends):
            if node not in state:
                visit(node)

    def _loc_of(self, node: str) -> Loc:
        kind, name = node[0], node[2:]
        for i, section in enumerate(self.checklist.sections):
            if kind == "s" and section.id == name:
                return ("sections", i)
            for j, question in enumerate(section.questions):
                if kind == "q" and question.id == name:
                    return ("sections", i, "questions", j)
        return ("overall",) if name == OVERALL else ()
