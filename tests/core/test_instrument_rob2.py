"""The bundled RoB 2 checklists against an independent transcription of the published algorithms.

The reference below is written from shared/domain/instruments.md (§1.1.3 "Asked when", §1.1.4
decision rules, §1.1.7 golden vectors) in plain Python, and for the cluster variant (rob2-cluster)
from the RoB 2 CRT short version of 18 March 2021 (Domains 1a and 1b). It never reads the YAML
rules: the tests walk every path through each domain's "asked when" tree (a question that is not
reached is answered ``NA``), and compare what ``appraise.judge`` proposes with what the algorithm
says.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from functools import cache

import pytest

import appraise
from appraise.core.assessment import section_progress
from appraise.core.checklist import Checklist
from appraise.core.engine import Evaluator

YES = frozenset({"Y", "PY"})
NO = frozenset({"N", "PN"})
SIGNAL = ("Y", "PY", "PN", "N", "NI")
NA = "NA"
LOW, SOME, HIGH = "low", "some_concerns", "high"
RANK = {LOW: 0, SOME: 1, HIGH: 2}

Answers = Mapping[str, str]
Asked = Callable[[Answers], bool]


def always(_: Answers) -> bool:
    return True


def any_in(codes: set[str], *questions: str) -> Asked:
    return lambda a: any(a[q] in codes for q in questions)


def all_in(codes: set[str], *questions: str) -> Asked:
    return lambda a: all(a[q] in codes for q in questions)


YPYNI = {"Y", "PY", "NI"}
NPNNI = {"N", "PN", "NI"}
WITH_NA = (*SIGNAL, NA)  # rob2-adhering 2.3-2.5: the reader may answer "not applicable"

# §1.1.3, transcribed: each domain's questions in order, the answers offered, and when asked.
QUESTIONS: dict[str, list[tuple[str, tuple[str, ...], Asked]]] = {
    "D1": [("1.1", SIGNAL, always), ("1.2", SIGNAL, always), ("1.3", SIGNAL, always)],
    # RoB 2 CRT: Domain 1 about clusters, numbered 1a.x; Domain 1b on recruitment timing. The
    # form lists 1b.3 without a condition; it is asked exactly when the algorithm reads it.
    "D1a": [("1a.1", SIGNAL, always), ("1a.2", SIGNAL, always), ("1a.3", SIGNAL, always)],
    "D1b": [
        ("1b.1", SIGNAL, always),
        ("1b.2", SIGNAL, any_in(NPNNI, "1b.1")),
        ("1b.3", SIGNAL, all_in(NPNNI, "1b.1", "1b.2")),
    ],
    "D2-assignment": [
        ("2.1", SIGNAL, always),
        ("2.2", SIGNAL, always),
        ("2.3", SIGNAL, any_in(YPYNI, "2.1", "2.2")),
        ("2.4", SIGNAL, any_in({"Y", "PY"}, "2.3")),
        ("2.5", SIGNAL, any_in(YPYNI, "2.4")),
        ("2.6", SIGNAL, always),
        ("2.7", SIGNAL, any_in(NPNNI, "2.6")),
    ],
    "D2-adhering": [
        ("2.1", SIGNAL, always),
        ("2.2", SIGNAL, always),
        ("2.3", WITH_NA, any_in(YPYNI, "2.1", "2.2")),
        ("2.4", WITH_NA, always),
        ("2.5", WITH_NA, always),
        ("2.6", SIGNAL, lambda a: a["2.3"] in NPNNI or a["2.4"] in YPYNI or a["2.5"] in YPYNI),
    ],
    "D3": [
        ("3.1", SIGNAL, always),
        ("3.2", ("Y", "PY", "PN", "N"), any_in(NPNNI, "3.1")),  # no "No information" on 3.2
        ("3.3", SIGNAL, any_in({"N", "PN"}, "3.2")),
        ("3.4", SIGNAL, any_in(YPYNI, "3.3")),
    ],
    "D4": [
        ("4.1", SIGNAL, always),
        ("4.2", SIGNAL, always),
        ("4.3", SIGNAL, all_in(NPNNI, "4.1", "4.2")),
        ("4.4", SIGNAL, any_in(YPYNI, "4.3")),
        ("4.5", SIGNAL, any_in(YPYNI, "4.4")),
    ],
    "D5": [("5.1", SIGNAL, always), ("5.2", SIGNAL, always), ("5.3", SIGNAL, always)],
}


# §1.1.4, transcribed. `a` holds a complete answer set (NA where a question is not reached).


def worst(*judgements: str) -> str:
    return max(judgements, key=RANK.__getitem__)


def d1(a: Answers) -> str:
    if a["1.2"] in NO:
        return HIGH
    if a["1.2"] in YES:
        if a["1.1"] in NO:
            return SOME
        if a["1.3"] in YES:
            return SOME
        return LOW
    if a["1.3"] in YES:  # 1.2 is NI
        return HIGH
    return SOME


def d1a(a: Answers) -> str:
    """RoB 2 CRT Domain 1a: the clusters' allocation, judged as in the individually randomised tool."""
    if a["1a.2"] in NO:
        return HIGH
    if a["1a.2"] == "NI":
        return HIGH if a["1a.3"] in YES else SOME
    if a["1a.1"] in NO or a["1a.3"] in YES:
        return SOME
    return LOW


def d1b(a: Answers) -> str:
    """RoB 2 CRT Domain 1b: identification or recruitment of individuals after the clusters were allocated."""
    if a["1b.1"] in YES:  # everyone identified and recruited before randomisation
        return LOW
    if a["1b.2"] in YES:  # knowing the allocation probably swayed recruitment
        return HIGH
    if a["1b.2"] in NO:
        return SOME if a["1b.3"] in YES else LOW
    return HIGH if a["1b.3"] in YES else SOME  # 1b.2 is NI


def d2_assignment(a: Answers) -> str:
    def part_a() -> str:
        if a["2.1"] in NO and a["2.2"] in NO:
            return LOW
        if a["2.3"] in NO:
            return LOW
        if a["2.3"] == "NI":
            return SOME
        if a["2.4"] in NO:  # 2.3 is Y or PY
            return SOME
        if a["2.5"] in YES:
            return SOME
        return HIGH

    def part_b() -> str:
        if a["2.6"] in YES:
            return LOW
        if a["2.7"] in NO:
            return SOME
        return HIGH

    return worst(part_a(), part_b())


def d2_adhering(a: Answers) -> str:
    def check_2_6() -> str:
        return SOME if a["2.6"] in YES else HIGH

    aware = not (a["2.1"] in NO and a["2.2"] in NO)
    if aware and a["2.3"] in NO | {"NI"}:
        return check_2_6()
    if a["2.4"] in NO | {NA} and a["2.5"] in NO | {NA}:
        return LOW
    return check_2_6()


def d3(a: Answers) -> str:
    if a["3.1"] in YES:
        return LOW
    if a["3.2"] in YES:
        return LOW
    if a["3.3"] in NO:
        return LOW
    if a["3.4"] in NO:
        return SOME
    return HIGH


def d4(a: Answers) -> str:
    if a["4.1"] in YES:
        return HIGH
    if a["4.2"] in YES:
        return HIGH
    best = LOW if a["4.2"] in NO else SOME  # 4.2 = NI caps the domain at some concerns
    if a["4.3"] in NO:
        return best
    if a["4.4"] in NO:
        return best
    if a["4.5"] in NO:
        return SOME
    return HIGH


def d5(a: Answers) -> str:
    if a["5.2"] in YES or a["5.3"] in YES:
        return HIGH
    if a["5.2"] == "NI" or a["5.3"] == "NI":
        return SOME
    if a["5.1"] in YES:
        return LOW
    return SOME


def overall(domains: tuple[str, ...]) -> str:
    """§1.1.5: high if any domain is high, low if all are low, else some concerns."""
    if HIGH in domains:
        return HIGH
    if all(d == LOW for d in domains):
        return LOW
    return SOME


REFERENCE: dict[str, Callable[[Answers], str]] = {
    "D1": d1,
    "D1a": d1a,
    "D1b": d1b,
    "D2-assignment": d2_assignment,
    "D2-adhering": d2_adhering,
    "D3": d3,
    "D4": d4,
    "D5": d5,
}

# (checklist id, section id, reference domain)
DOMAINS = [
    *[("rob2", d, d) for d in ("D1", "D3", "D4", "D5")],
    ("rob2", "D2", "D2-assignment"),
    *[("rob2-adhering", d, d) for d in ("D1", "D3", "D4", "D5")],
    ("rob2-adhering", "D2", "D2-adhering"),
    ("rob2-cluster", "D1", "D1a"),
    ("rob2-cluster", "D1b", "D1b"),
    ("rob2-cluster", "D2", "D2-assignment"),
    *[("rob2-cluster", d, d) for d in ("D3", "D4", "D5")],
]
DOMAIN_IDS = [f"{c}-{ref}" for c, _, ref in DOMAINS]


class Reading(dict[str, str]):
    """A complete answer set that remembers which answers the algorithm read, in order."""

    def __init__(self, answers: Answers) -> None:
        super().__init__(answers)
        self.read: list[str] = []

    def __getitem__(self, key: str) -> str:
        if key not in self.read:
            self.read.append(key)
        return super().__getitem__(key)


@cache
def paths(domain: str) -> tuple[tuple[dict[str, str], tuple[str, ...]], ...]:
    """Every way through a domain: (complete answers with NA where not reached, questions asked)."""
    questions = QUESTIONS[domain]
    found: list[tuple[dict[str, str], tuple[str, ...]]] = []

    def walk(i: int, answers: dict[str, str], asked: tuple[str, ...]) -> None:
        if i == len(questions):
            found.append((dict(answers), asked))
            return
        qid, options, asked_when = questions[i]
        if asked_when(answers):
            for code in options:
                walk(i + 1, {**answers, qid: code}, (*asked, qid))
        else:
            walk(i + 1, {**answers, qid: NA}, asked)

    walk(0, {}, ())
    return tuple(found)


def given(answers: Answers, asked: tuple[str, ...]) -> dict[str, str]:
    """What a reader enters: answers to the questions asked (an NA there is the reader's own)."""
    return {q: answers[q] for q in asked}


@cache
def rob2(checklist_id: str) -> Checklist:
    return appraise.load_checklist(checklist_id)


def proposal(checklist: Checklist, answers: Answers, section: str) -> str | None:
    """What the engine proposes for one section (what `judge` returns for it, without the rest)."""
    return Evaluator(checklist, answers, {"primary": True}).section(section).proposed


# --- the walk itself ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "count"),
    [
        # Counted by hand from §1.1.3, so that a broken walk cannot make the tests below vacuous.
        ("D1", 5**3),
        ("D1a", 5**3),
        ("D1b", 2 + 3 * (2 + 3 * 5)),  # 1b.1 Y/PY; else 1b.2 Y/PY, or 1b.2 N/PN/NI and 1b.3
        ("D2-assignment", (4 + 21 * (3 + 2 * (2 + 3 * 5))) * (2 + 3 * 5)),  # part A x part B
        ("D2-adhering", 4 * (9 + 27 * 5) + 21 * (3 * 36 * 5 + 3 * (9 + 27 * 5))),
        ("D3", 2 + 3 * (2 + 2 * (2 + 3 * 5))),
        ("D4", 16 + 9 * (2 + 3 * (2 + 3 * 5))),
        ("D5", 5**3),
    ],
)
def test_the_walk_covers_every_path_of_the_asked_when_tree(domain: str, count: int) -> None:
    assert len(paths(domain)) == count


# --- every path ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("checklist_id", "section", "domain"), DOMAINS, ids=DOMAIN_IDS)
def test_every_path_through_a_domain_gets_the_published_judgement(checklist_id: str, section: str, domain: str) -> None:
    checklist = rob2(checklist_id)
    wrong = []
    for answers, asked in paths(domain):
        expected = REFERENCE[domain](answers)
        got = appraise.judge(checklist, given(answers, asked))[section]
        if got != expected:
            wrong.append((given(answers, asked), got, expected))
    assert not wrong, f"{len(wrong)} paths differ, e.g. (answers, got, expected): {wrong[:5]}"


@pytest.mark.parametrize(("checklist_id", "section", "domain"), DOMAINS, ids=DOMAIN_IDS)
def test_questions_are_asked_exactly_when_the_instrument_says(checklist_id: str, section: str, domain: str) -> None:
    checklist = rob2(checklist_id)
    wrong = []
    for answers, asked in paths(domain):
        evaluator = Evaluator(checklist, given(answers, asked))
        for qid, _, _ in QUESTIONS[domain]:
            if evaluator.reached(qid) is not (qid in asked):
                wrong.append((given(answers, asked), qid))
    assert not wrong, f"{len(wrong)} differ, e.g. (answers, question): {wrong[:5]}"


@pytest.mark.parametrize(("checklist_id", "section", "domain"), DOMAINS, ids=DOMAIN_IDS)
def test_a_domain_is_decided_as_soon_as_the_algorithm_has_read_what_it_needs(
    checklist_id: str, section: str, domain: str
) -> None:
    # Only the answers the algorithm reads on its way to the judgement, in the order written in
    # §1.1.4 (D2-assignment reads both parts): the others may still be open.
    checklist = rob2(checklist_id)
    wrong = []
    for answers, asked in paths(domain):
        reading = Reading(answers)
        expected = REFERENCE[domain](reading)
        partial = {q: answers[q] for q in reading.read if q in asked}
        got = proposal(checklist, partial, section)
        if got != expected:
            wrong.append((partial, got, expected))
    assert not wrong, f"{len(wrong)} partial answer sets differ, e.g. (answers, got, expected): {wrong[:5]}"


SMALL_DOMAINS = [d for d in DOMAINS if not d[2].startswith("D2")]


@pytest.mark.parametrize(
    ("checklist_id", "section", "domain"),
    SMALL_DOMAINS,
    ids=[f"{c}-{ref}" for c, _, ref in SMALL_DOMAINS],
)
def test_with_answers_missing_a_domain_is_incomplete_or_already_right_never_a_guess(
    checklist_id: str, section: str, domain: str
) -> None:
    # Every subset of the answers of every path left out; whatever the engine proposes must agree
    # with the algorithm on every way the open answers could still be filled in.
    checklist = rob2(checklist_id)
    verdicts: dict[frozenset[tuple[str, str]], set[str]] = {}
    for answers, asked in paths(domain):
        expected = REFERENCE[domain](answers)
        for n in range(len(asked) + 1):
            for kept in itertools.combinations(asked, n):
                verdicts.setdefault(frozenset((q, answers[q]) for q in kept), set()).add(expected)
    wrong = []
    for partial, possible in verdicts.items():
        got = proposal(checklist, dict(partial), section)
        if got is not None and possible != {got}:
            wrong.append((dict(partial), got, possible))
    assert not wrong, f"{len(wrong)} guesses, e.g. (answers, got, possible): {wrong[:5]}"


@pytest.mark.parametrize("domain", ["D2-assignment", "D2-adhering"])
def test_with_one_answer_of_domain_2_missing_it_is_incomplete_or_already_right(domain: str) -> None:
    checklist = rob2("rob2" if domain == "D2-assignment" else "rob2-adhering")
    verdicts: dict[frozenset[tuple[str, str]], set[str]] = {}
    for answers, asked in paths(domain):
        expected = REFERENCE[domain](answers)
        for left_out in asked:
            partial = frozenset((q, answers[q]) for q in asked if q != left_out)
            verdicts.setdefault(partial, set()).add(expected)
    wrong = []
    for partial, possible in verdicts.items():
        got = proposal(checklist, dict(partial), "D2")
        if got is not None and possible != {got}:
            wrong.append((dict(partial), got, possible))
    assert not wrong, f"{len(wrong)} guesses, e.g. (answers, got, possible): {wrong[:5]}"


# --- §1.1.7 golden vectors and named partial cases ----------------------------------------------

BOTH = ("rob2", "rob2-adhering")
ALL = (*BOTH, "rob2-cluster")
# The reference domains each checklist asks, in order.
ASKS = {
    "rob2": ("D1", "D2-assignment", "D3", "D4", "D5"),
    "rob2-adhering": ("D1", "D2-adhering", "D3", "D4", "D5"),
    "rob2-cluster": ("D1a", "D1b", "D2-assignment", "D3", "D4", "D5"),
}
GOLDEN = [
    (BOTH, "D1", {"1.1": "Y", "1.2": "Y", "1.3": "N"}, LOW),
    (BOTH, "D1", {"1.1": "NI", "1.2": "PY", "1.3": "NI"}, LOW),
    (BOTH, "D1", {"1.1": "N", "1.2": "Y", "1.3": "N"}, SOME),
    (BOTH, "D1", {"1.1": "Y", "1.2": "Y", "1.3": "PY"}, SOME),
    (BOTH, "D1", {"1.2": "NI", "1.3": "N"}, SOME),
    (BOTH, "D1", {"1.2": "NI", "1.3": "Y"}, HIGH),
    (BOTH, "D1", {"1.2": "PN"}, HIGH),
    (("rob2",), "D2", {"2.1": "Y", "2.2": "Y", "2.3": "N", "2.6": "Y"}, LOW),
    (("rob2",), "D2", {"2.1": "Y", "2.2": "Y", "2.3": "NI", "2.6": "Y"}, SOME),
    (("rob2",), "D2", {"2.1": "Y", "2.3": "Y", "2.4": "PY", "2.5": "N", "2.6": "Y"}, HIGH),
    (("rob2",), "D2", {"2.1": "N", "2.2": "N", "2.6": "N", "2.7": "N"}, SOME),
    (("rob2",), "D2", {"2.1": "N", "2.2": "N", "2.6": "NI", "2.7": "Y"}, HIGH),
    (("rob2-adhering",), "D2", {"2.1": "N", "2.2": "N", "2.4": "N", "2.5": "NA"}, LOW),
    (("rob2-adhering",), "D2", {"2.1": "Y", "2.3": "N", "2.6": "Y"}, SOME),
    (("rob2-adhering",), "D2", {"2.1": "Y", "2.3": "Y", "2.4": "Y", "2.6": "N"}, HIGH),
    (BOTH, "D3", {"3.1": "PY"}, LOW),
    (BOTH, "D3", {"3.1": "N", "3.2": "N", "3.3": "PN"}, LOW),
    (BOTH, "D3", {"3.1": "N", "3.2": "N", "3.3": "Y", "3.4": "N"}, SOME),
    (BOTH, "D3", {"3.1": "NI", "3.2": "N", "3.3": "NI", "3.4": "NI"}, HIGH),
    (BOTH, "D4", {"4.1": "N", "4.2": "N", "4.3": "Y", "4.4": "N"}, LOW),
    (BOTH, "D4", {"4.1": "N", "4.2": "N", "4.3": "Y", "4.4": "Y", "4.5": "N"}, SOME),
    (BOTH, "D4", {"4.1": "N", "4.2": "N", "4.3": "Y", "4.4": "PY", "4.5": "PY"}, HIGH),
    (BOTH, "D4", {"4.1": "N", "4.2": "NI", "4.3": "N"}, SOME),
    (BOTH, "D4", {"4.1": "PY"}, HIGH),
    (BOTH, "D5", {"5.1": "Y", "5.2": "N", "5.3": "PN"}, LOW),
    (BOTH, "D5", {"5.1": "NI", "5.2": "N", "5.3": "N"}, SOME),
    (BOTH, "D5", {"5.2": "NI", "5.3": "N"}, SOME),
    (BOTH, "D5", {"5.3": "PY"}, HIGH),
]


@pytest.mark.parametrize(
    ("checklist_id", "section", "answers", "expected"),
    [(c, s, a, e) for checklists, s, a, e in GOLDEN for c in checklists],
    ids=[f"{c}-{s}-{'-'.join(f'{q}={v}' for q, v in a.items())}" for cs, s, a, _ in GOLDEN for c in cs],
)
def test_golden_vectors(checklist_id: str, section: str, answers: dict[str, str], expected: str) -> None:
    assert appraise.judge(rob2(checklist_id), answers)[section] == expected


@pytest.mark.parametrize(
    ("checklist_id", "section", "answers", "expected"),
    [
        # The algorithm already decides: the other answers may stay open.
        ("rob2", "D2", {"2.6": "N", "2.7": "PY"}, HIGH),  # part B high, part A not yet answered
        ("rob2", "D2", {"2.1": "PY", "2.3": "PY", "2.4": "NI", "2.5": "PN"}, HIGH),  # part A high
        ("rob2-adhering", "D2", {"2.1": "Y", "2.3": "NI", "2.6": "PY"}, SOME),  # 2.4, 2.5 open
        ("rob2", "D4", {"4.2": "Y"}, HIGH),  # 4.1 open
        ("rob2", "D5", {"5.2": "PY"}, HIGH),  # 5.1 and 5.3 open
        ("rob2", "D1", {"1.2": "Y", "1.1": "PN"}, SOME),  # 1.3 open
        # A needed answer is missing: incomplete, never a guess.
        ("rob2", "D1", {"1.1": "N", "1.3": "N"}, None),  # concealment (1.2) open
        ("rob2", "D1", {"1.2": "NI"}, None),  # 1.3 decides between high and some concerns
        ("rob2", "D2", {"2.1": "Y", "2.2": "Y", "2.3": "N"}, None),  # part B (2.6) open
        ("rob2", "D2", {"2.6": "N", "2.7": "N"}, None),  # part A open, and could be high
        ("rob2-adhering", "D2", {"2.1": "N", "2.2": "N", "2.4": "N"}, None),  # 2.5 open
        ("rob2", "D3", {"3.1": "N", "3.2": "PN"}, None),  # 3.3 open
        ("rob2", "D4", {"4.1": "N", "4.2": "NI"}, None),  # 4.3 open
        ("rob2", "D5", {"5.2": "N", "5.3": "N"}, None),  # 5.1 open
    ],
)
def test_partial_answers(checklist_id: str, section: str, answers: dict[str, str], expected: str | None) -> None:
    assert appraise.judge(rob2(checklist_id), answers)[section] == expected


def test_an_answer_left_over_from_a_question_no_longer_asked_does_not_count() -> None:
    # The reader first said a participant knew (2.3-2.5 answered), then corrected 2.1 and 2.2.
    answers = {"2.1": "N", "2.2": "PN", "2.3": "Y", "2.4": "Y", "2.5": "N", "2.6": "Y"}
    assert appraise.judge(rob2("rob2"), answers)["D2"] == LOW


def test_an_answer_a_question_does_not_offer_counts_as_unanswered() -> None:
    # 3.2 has no "No information" in RoB 2; an NI there is not silently read as No.
    assert appraise.judge(rob2("rob2"), {"3.1": "N", "3.2": "NI"})["D3"] is None


# --- the checklists' shape ----------------------------------------------------------------------


@pytest.mark.parametrize("checklist_id", BOTH)
def test_signalling_questions_keep_the_official_numbering(checklist_id: str) -> None:
    checklist = rob2(checklist_id)
    domain_2 = ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"] + (["2.7"] if checklist_id == "rob2" else [])
    numbered = [
        "1.1",
        "1.2",
        "1.3",
        *domain_2,
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "4.5",
        "5.1",
        "5.2",
        "5.3",
    ]
    assert [q for q in checklist.questions if q[0].isdigit()] == numbered
    assert [s.id for s in checklist.sections] == ["P", "D1", "D2", "D3", "D4", "D5"]
    for qid in numbered:
        section = checklist.section_of[qid]
        assert section.id == f"D{qid[0]}"
        assert [j.code for j in section.judgements] == [LOW, SOME, HIGH]
        assert [j.concern for j in section.judgements] == ["low", "some", "high"]
        assert [j.label for j in section.judgements] == [
            "Low risk of bias",
            "Some concerns",
            "High risk of bias",
        ]


@pytest.mark.parametrize("checklist_id", ALL)
def test_answers_offered_match_the_instrument(checklist_id: str) -> None:
    checklist = rob2(checklist_id)
    for name in ASKS[checklist_id]:
        for qid, options, _ in QUESTIONS[name]:
            assert checklist.questions[qid].codes == options, qid


@pytest.mark.parametrize("checklist_id", ALL)
def test_every_question_that_may_be_skipped_says_why(checklist_id: str) -> None:
    checklist = rob2(checklist_id)
    for question in checklist.questions.values():
        assert bool(question.skip_reason) == (question.ask_when is not None), question.id


@pytest.mark.parametrize("checklist_id", BOTH)
def test_direction_of_bias_is_optional_and_never_changes_a_judgement(checklist_id: str) -> None:
    checklist = rob2(checklist_id)
    answers = {"1.1": "Y", "1.2": "PY", "1.3": "N"}
    direction = checklist.questions["D1.direction"]
    assert direction.optional
    assert set(direction.codes) == {
        "NA",
        "favours_experimental",
        "favours_comparator",
        "towards_null",
        "away_from_null",
        "unpredictable",
    }
    for d in ("D1", "D2", "D3", "D4", "D5"):
        assert checklist.section_of[f"{d}.direction"].id == d
        assert checklist.questions[f"{d}.direction"].optional
    for code in direction.codes:
        assert appraise.judge(checklist, {**answers, "D1.direction": code})["D1"] == LOW
    section = checklist.judged["D1"]
    assert section_progress(Evaluator(checklist, answers), section).done
    progress = section_progress(Evaluator(checklist, {**answers, "D1.direction": "towards_null"}), section)
    assert (progress.answered, progress.total) == (4, 4)


@pytest.mark.parametrize("checklist_id", BOTH)
def test_preliminary_fields_carry_no_judgement_and_only_the_sources_are_optional(
    checklist_id: str,
) -> None:
    checklist = rob2(checklist_id)
    preliminary = checklist.judged["P"]
    assert preliminary.method == "none"
    assert appraise.judge(checklist, {"P1": "MD 3.1 (0.4 to 5.8)", "P5": "parallel"})["P"] is None
    optional = [q.id for q in preliminary.questions if q.optional]
    assert optional == ["P6"]
    texts = {q.id for q in preliminary.questions if q.kind == "text"}
    assert {"P1", "P2", "P3", "P4", "P6"} <= texts
    assert checklist.questions["P5"].codes == ("parallel", "cluster", "crossover")


def test_a_cluster_design_points_the_reader_to_the_cluster_checklist() -> None:
    evaluator = Evaluator(rob2("rob2"), {"P5": "cluster", "1.2": "N"})
    assert any("Cluster trial" in m and "rob2-cluster" in m for m in evaluator.section("D1").messages)
    option = rob2("rob2").questions["P5"].option("cluster")
    assert option is not None and "rob2-cluster" in (option.hint or "")
    parallel = Evaluator(rob2("rob2"), {"P5": "parallel", "1.2": "N"})
    assert not any("Cluster trial" in m for m in parallel.section("D1").messages)


def test_the_measurement_cap_explains_itself() -> None:
    result = Evaluator(rob2("rob2"), {"4.1": "N", "4.2": "NI", "4.3": "N"}).section("D4")
    assert result.proposed == SOME
    assert any("no better than some concerns" in m for m in result.messages)
    assert result.trace == "D4: 4.1 = N, 4.2 = NI, 4.5 not asked → some_concerns"


# --- overall ------------------------------------------------------------------------------------

# Answers that give each judgement in each domain (golden vectors, partial where they may be).
MAKES = {
    "rob2": {
        "D1": {
            LOW: {"1.1": "Y", "1.2": "Y", "1.3": "N"},
            SOME: {"1.2": "NI", "1.3": "N"},
            HIGH: {"1.2": "PN"},
        },
        "D2": {
            LOW: {"2.1": "Y", "2.2": "Y", "2.3": "N", "2.6": "Y"},
            SOME: {"2.1": "Y", "2.2": "Y", "2.3": "NI", "2.6": "Y"},
            HIGH: {"2.1": "N", "2.2": "N", "2.6": "NI", "2.7": "Y"},
        },
        "D3": {
            LOW: {"3.1": "PY"},
            SOME: {"3.1": "N", "3.2": "N", "3.3": "Y", "3.4": "N"},
            HIGH: {"3.1": "NI", "3.2": "N", "3.3": "NI", "3.4": "NI"},
        },
        "D4": {
            LOW: {"4.1": "N", "4.2": "N", "4.3": "Y", "4.4": "N"},
            SOME: {"4.1": "N", "4.2": "NI", "4.3": "N"},
            HIGH: {"4.1": "PY"},
        },
        "D5": {
            LOW: {"5.1": "Y", "5.2": "N", "5.3": "PN"},
            SOME: {"5.1": "NI", "5.2": "N", "5.3": "N"},
            HIGH: {"5.3": "PY"},
        },
    },
}
MAKES["rob2-adhering"] = {
    **MAKES["rob2"],
    "D2": {
        LOW: {"2.1": "N", "2.2": "N", "2.4": "N", "2.5": "NA"},
        SOME: {"2.1": "Y", "2.3": "N", "2.6": "Y"},
        HIGH: {"2.1": "Y", "2.3": "Y", "2.4": "Y", "2.6": "N"},
    },
}
SECTIONS = ("D1", "D2", "D3", "D4", "D5")


def answers_for(checklist_id: str, judgements: tuple[str, ...]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for section, judgement in zip(SECTIONS, judgements, strict=True):
        answers.update(MAKES[checklist_id][section][judgement])
    return answers


@pytest.mark.parametrize("checklist_id", BOTH)
def test_overall_for_every_combination_of_domain_judgements(checklist_id: str) -> None:
    checklist = rob2(checklist_id)
    wrong = []
    for judgements in itertools.product((LOW, SOME, HIGH), repeat=5):
        result = appraise.judge(checklist, answers_for(checklist_id, judgements))
        if tuple(result[s] for s in SECTIONS) != judgements or result["overall"] != overall(judgements):
            wrong.append((judgements, result))
    assert not wrong, f"{len(wrong)} combinations differ, e.g.: {wrong[:3]}"


@pytest.mark.parametrize("checklist_id", BOTH)
def test_several_domains_with_some_concerns_invite_the_reviewer_to_escalate(
    checklist_id: str,
) -> None:
    checklist = rob2(checklist_id)
    wrong = []
    for judgements in itertools.product((LOW, SOME, HIGH), repeat=5):
        result = Evaluator(checklist, answers_for(checklist_id, judgements)).section("overall")
        invited = overall(judgements) == SOME and judgements.count(SOME) >= 2
        mentioned = any("two or more domains" in m and "reason" in m for m in result.messages)
        if result.escalate_to != (HIGH if invited else None) or mentioned is not invited:
            wrong.append((judgements, result.escalate_to, result.messages))
    assert not wrong, f"{len(wrong)} combinations differ, e.g.: {wrong[:3]}"


def test_escalation_leaves_the_proposal_at_some_concerns_until_the_reviewer_decides() -> None:
    checklist = rob2("rob2")
    answers = answers_for("rob2", (LOW, SOME, SOME, SOME, LOW))  # §1.1.7
    result = Evaluator(checklist, answers).section("overall")
    assert (result.proposed, result.escalate_to) == (SOME, HIGH)
    escalated = Evaluator(checklist, answers, overrides={"overall": {"judgement": HIGH, "reason": "three domains"}})
    assert escalated.section("overall").judgement == HIGH
    assert escalated.section("overall").proposed == SOME


def test_overall_is_high_as_soon_as_one_domain_is_high_and_incomplete_otherwise() -> None:
    checklist = rob2("rob2")
    assert appraise.judge(checklist, {"1.2": "PN"})["overall"] == HIGH
    all_low_but_d5 = answers_for("rob2", (LOW,) * 5)
    del all_low_but_d5["5.1"]
    assert appraise.judge(checklist, all_low_but_d5)["D5"] is None
    assert appraise.judge(checklist, all_low_but_d5)["overall"] is None


def test_the_paraphrase_notice_and_citation_are_in_both_files() -> None:
    for checklist_id in BOTH:
        checklist = rob2(checklist_id)
        assert "l4898" in checklist.citation and "22 August 2019" in checklist.citation
        assert "paraphrase" in checklist.notice and "not the official" in checklist.notice


def test_the_twin_files_share_everything_but_domain_2_and_the_deviations_field() -> None:
    assignment, adhering = rob2("rob2"), rob2("rob2-adhering")
    for section_id in ("D1", "D3", "D4", "D5", "overall"):
        assert assignment.judged[section_id] == adhering.judged[section_id], section_id
    shared = [q for q in assignment.judged["P"].questions]
    assert [q for q in adhering.judged["P"].questions if q.id != "P7"] == shared


# --- rob2-cluster: the cluster variant ----------------------------------------------------------

CLUSTER_SECTIONS = ("D1", "D1b", "D2", "D3", "D4", "D5")


def test_the_cluster_checklist_numbers_domains_1a_and_1b_as_the_cluster_guidance() -> None:
    checklist = rob2("rob2-cluster")
    assert [s.id for s in checklist.sections] == ["P", *CLUSTER_SECTIONS]
    assert [q.id for q in checklist.judged["D1"].questions if q.id[0].isdigit()] == ["1a.1", "1a.2", "1a.3"]
    assert [q.id for q in checklist.judged["D1b"].questions if q.id[0].isdigit()] == ["1b.1", "1b.2", "1b.3"]
    assert [j.label for j in checklist.judged["D1b"].judgements] == [
        "Low risk of bias",
        "Some concerns",
        "High risk of bias",
    ]
    assert checklist.questions["D1b.direction"].optional
    assert "18 March 2021" in checklist.citation and "l4898" in checklist.citation


CLUSTER_HINTS = ("2.1", "2.6", "3.1", "4.3")  # their hints add how to answer for clusters


def test_the_cluster_checklist_asks_domains_2_to_5_exactly_as_rob2() -> None:
    cluster, assignment = rob2("rob2-cluster"), rob2("rob2")
    for section_id in ("D2", "D3", "D4", "D5"):
        ours, theirs = cluster.judged[section_id].model_dump(), assignment.judged[section_id].model_dump()
        for question in (*ours["questions"], *theirs["questions"]):
            if question["id"] in CLUSTER_HINTS:
                question.pop("why")
        assert ours == theirs, section_id
    for qid in CLUSTER_HINTS:
        why = " ".join(cluster.questions[qid].why.split())
        assert why.startswith(" ".join(assignment.questions[qid].why.split())), qid
        assert "In a cluster trial" in why, qid


# The RoB 2 CRT splits three questions (as transcribed from its short version of 18 March 2021):
# 2.1a aware of being in a trial / 2.1b aware of the assigned intervention; 3.1a outcome data for
# every cluster that recruited / 3.1b for nearly all participants within clusters; 4.3a assessors
# aware that a trial was taking place / 4.3b aware of the intervention received. rob2-cluster asks
# the rob2 question, and its hint says how to answer it from the CRT's pair.
DESCRIBED: dict[str, Callable[[str, str], str]] = {
    "2.1": lambda first, second: "N" if first in NO else second,
    "3.1": lambda first, second: "Y" if first in YES and second in YES else "N",
    "4.3": lambda first, second: "N" if first in NO else second,
}


def crt_d3(a: Answers) -> str:
    if a["3.1a"] in YES and a["3.1b"] in YES:
        return LOW
    return d3({**a, "3.1": "N"})  # from 3.2 on, as for individually randomised trials


def crt_d4(a: Answers) -> str:
    if a["4.1"] in YES or a["4.2"] in YES:
        return HIGH
    best = LOW if a["4.2"] in NO else SOME
    if a["4.3a"] in NO or a["4.3b"] in NO or a["4.4"] in NO:
        return best
    if a["4.5"] in NO:
        return SOME
    return HIGH


def crt_aware(a: Answers) -> bool:
    """Whether the CRT goes on to ask 2.3 (trial-context deviations)."""
    if a["2.1a"] in NO:
        return a["2.2"] not in NO
    return not (a["2.1b"] in NO and a["2.2"] in NO)


@pytest.mark.parametrize(("question", "domain", "crt"), [("3.1", "D3", crt_d3), ("4.3", "D4", crt_d4)])
def test_answering_as_the_cluster_hint_says_gives_the_crt_judgement(
    question: str, domain: str, crt: Callable[[Answers], str]
) -> None:
    checklist = rob2("rob2-cluster")
    first_id, second_id = f"{question}a", f"{question}b"
    wrong = []
    for answers, asked in paths(domain):
        for first, second in itertools.product(SIGNAL, SIGNAL):
            if question in asked and DESCRIBED[question](first, second) != answers[question]:
                continue  # the hint leads this pair to another path
            expected = crt({**answers, first_id: first, second_id: second})
            got = appraise.judge(checklist, given(answers, asked))[domain]
            if got != expected:
                wrong.append((first, second, given(answers, asked), got, expected))
    assert not wrong, f"{len(wrong)} differ, e.g. (a, b, answers, got, expected): {wrong[:3]}"


def test_answering_2_1_as_the_cluster_hint_says_asks_2_3_when_the_crt_does() -> None:
    # Only the awareness gate: the CRT transcription's Domain 2 otherwise reads as rob2's does.
    checklist = rob2("rob2-cluster")
    wrong = []
    for first, second, carers in itertools.product(SIGNAL, SIGNAL, SIGNAL):
        crt = {"2.1a": first, "2.1b": second if first not in NO else NA, "2.2": carers}
        ours = {"2.1": DESCRIBED["2.1"](first, second), "2.2": carers}
        if Evaluator(checklist, ours).reached("2.3") is not crt_aware(crt):
            wrong.append((crt, ours))
    assert not wrong, wrong[:3]


def test_the_cluster_checklist_asks_what_the_clusters_were_not_the_design() -> None:
    checklist = rob2("rob2-cluster")
    preliminary = [q.id for q in checklist.judged["P"].questions]
    assert preliminary == ["P1", "P2", "P3", "P4", "P6", "P8"]
    assert checklist.questions["P8"].kind == "text"
    assert appraise.judge(checklist, {"P8": "12 community teams, 6 per arm"})["P"] is None


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"1b.1": "Y"}, LOW),  # all recruited before randomisation: nothing else needed
        ({"1b.1": "N", "1b.2": "PY"}, HIGH),  # 1b.3 not needed
        ({"1b.1": "NI", "1b.2": "N", "1b.3": "PY"}, SOME),
        ({"1b.1": "PN", "1b.2": "PN", "1b.3": "NI"}, LOW),
        ({"1b.1": "N", "1b.2": "NI", "1b.3": "Y"}, HIGH),
        ({"1b.1": "N", "1b.2": "NI", "1b.3": "N"}, SOME),
        ({"1b.1": "N"}, None),  # 1b.2 open
        ({"1b.1": "N", "1b.2": "NI"}, None),  # 1b.3 decides between high and some concerns
        ({"1b.2": "N", "1b.3": "N"}, None),  # 1b.1 open
    ],
)
def test_domain_1b_named_cases(answers: dict[str, str], expected: str | None) -> None:
    assert appraise.judge(rob2("rob2-cluster"), answers)["D1b"] == expected


def test_domain_1b_says_why_1b_3_is_not_asked() -> None:
    evaluator = Evaluator(rob2("rob2-cluster"), {"1b.1": "N", "1b.2": "Y"})
    assert not evaluator.reached("1b.3")
    result = evaluator.section("D1b")
    assert result.proposed == HIGH
    assert "1b.2 = Y" in result.trace


MAKES["rob2-cluster"] = {
    "D1": {
        LOW: {"1a.1": "Y", "1a.2": "Y", "1a.3": "N"},
        SOME: {"1a.2": "NI", "1a.3": "N"},
        HIGH: {"1a.2": "PN"},
    },
    "D1b": {
        LOW: {"1b.1": "PY"},
        SOME: {"1b.1": "N", "1b.2": "N", "1b.3": "Y"},
        HIGH: {"1b.1": "N", "1b.2": "Y"},
    },
    **{d: MAKES["rob2"][d] for d in ("D2", "D3", "D4", "D5")},
}


def cluster_answers(judgements: tuple[str, ...]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for section, judgement in zip(CLUSTER_SECTIONS, judgements, strict=True):
        answers.update(MAKES["rob2-cluster"][section][judgement])
    return answers


def test_cluster_overall_for_every_combination_of_six_domain_judgements() -> None:
    checklist = rob2("rob2-cluster")
    wrong = []
    for judgements in itertools.product((LOW, SOME, HIGH), repeat=6):
        result = Evaluator(checklist, cluster_answers(judgements)).section("overall")
        got = appraise.judge(checklist, cluster_answers(judgements))
        invited = overall(judgements) == SOME and judgements.count(SOME) >= 2
        if (
            tuple(got[s] for s in CLUSTER_SECTIONS) != judgements
            or got["overall"] != overall(judgements)
            or result.escalate_to != (HIGH if invited else None)
        ):
            wrong.append((judgements, got, result.escalate_to))
    assert not wrong, f"{len(wrong)} combinations differ, e.g.: {wrong[:3]}"


def test_cluster_overall_is_not_low_when_only_domain_1b_has_concerns() -> None:
    answers = cluster_answers((LOW, SOME, LOW, LOW, LOW, LOW))
    assert appraise.judge(rob2("rob2-cluster"), answers)["overall"] == SOME


# --- our own words ------------------------------------------------------------------------------

# The official RoB 2 signalling questions (22 August 2019; cluster variant 18 March 2021), to
# check that no stem of ours keeps a run of their wording. Used only to compare, never shown.
OFFICIAL_STEMS = [
    "Was the allocation sequence random?",
    "Was the allocation sequence concealed until participants were enrolled and assigned to interventions?",
    "Did baseline differences between intervention groups suggest a problem with the randomization process?",
    "Was the allocation sequence concealed until clusters were enrolled and assigned to interventions?",
    "Were all the individual participants identified and recruited (if appropriate) before randomization of clusters?",
    "Is it likely that selection of individual participants was affected by knowledge of the intervention "
    "assigned to the cluster?",
    "Were there baseline imbalances that suggest differential identification or recruitment of individual "
    "participants between intervention groups?",
    "Were participants aware of their assigned intervention during the trial?",
    "Were carers and people delivering the interventions aware of participants' assigned intervention "
    "during the trial?",
    "Were there deviations from the intended intervention that arose because of the trial context?",
    "Were these deviations likely to have affected the outcome?",
    "Were these deviations from intended intervention balanced between groups?",
    "Was an appropriate analysis used to estimate the effect of assignment to intervention?",
    "Was there potential for a substantial impact (on the result) of the failure to analyse participants "
    "in the group to which they were randomized?",
    "Were important non-protocol interventions balanced across intervention groups?",
    "Were there failures in implementing the intervention that could have affected the outcome?",
    "Was there non-adherence to the assigned intervention regimen that could have affected participants' outcomes?",
    "Was an appropriate analysis used to estimate the effect of adhering to the intervention?",
    "Were data for this outcome available for all, or nearly all, participants randomized?",
    "Is there evidence that the result was not biased by missing outcome data?",
    "Could missingness in the outcome depend on its true value?",
    "Is it likely that missingness in the outcome depended on its true value?",
    "Was the method of measuring the outcome inappropriate?",
    "Could measurement or ascertainment of the outcome have differed between intervention groups?",
    "Were outcome assessors aware of the intervention received by study participants?",
    "Could assessment of the outcome have been influenced by knowledge of intervention received?",
    "Is it likely that assessment of the outcome was influenced by knowledge of intervention received?",
    "Were the data that produced this result analysed in accordance with a pre-specified analysis plan "
    "that was finalized before unblinded outcome data were available for analysis?",
    "Is the numerical result being assessed likely to have been selected, on the basis of the results, "
    "from multiple eligible outcome measurements within the outcome domain?",
    "Is the numerical result being assessed likely to have been selected, on the basis of the results, "
    "from multiple eligible analyses of the data?",
]
LONGEST_SHARED_RUN = 4  # words: "Is it likely that" may stay, a longer run may not


def words(text: str) -> list[str]:
    cleaned = "".join(c if c.isalnum() or c == "'" else " " for c in text.lower())
    return cleaned.replace("randomized", "randomised").replace("randomization", "randomisation").split()


def shared_run(ours: str, theirs: str) -> int:
    """The length, in words, of the longest run of consecutive words the two texts share."""
    a, b = words(ours), words(theirs)
    best = 0
    for i in range(len(a)):
        for j in range(len(b)):
            k = 0
            while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k]:
                k += 1
            best = max(best, k)
    return best


@pytest.mark.parametrize("checklist_id", ALL)
def test_no_question_keeps_a_run_of_the_official_wording(checklist_id: str) -> None:
    checklist = rob2(checklist_id)
    copied = [
        (q.id, official, shared_run(q.text, official))
        for q in checklist.questions.values()
        if q.id[0].isdigit()
        for official in OFFICIAL_STEMS
        if shared_run(q.text, official) > LONGEST_SHARED_RUN
    ]
    assert not copied


def test_the_run_check_catches_the_official_wording_with_one_word_changed() -> None:
    assert shared_run("Were these departures likely to have affected the outcome?", OFFICIAL_STEMS[10]) == 6


@pytest.mark.parametrize("checklist_id", ALL)
def test_the_hints_on_4_3_and_4_4_do_not_call_admissions_objective(checklist_id: str) -> None:
    # Admissions and bed days are clinicians' decisions, and clinicians may know the allocation.
    for qid in ("4.3", "4.4"):
        why = " ".join(rob2(checklist_id).questions[qid].why.split())
        assert "admission" in why and "clinicians" in why, qid
    assert "hardly could" in rob2(checklist_id).questions["4.4"].why  # death still is objective
