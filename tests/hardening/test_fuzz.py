"""Property-based fuzzing: any bytes, any YAML structure, files of every kind, through every command.

``make test`` runs a small fixed budget (the same cases every time); ``make fuzz``
(tests/hardening/fuzz_run.py) runs ten thousand files through the same harness, with the binary
writers too, and tables what it found. Every run goes in-process through the CLI's own runner.
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hardening.fuzzing import SEEDS, Run, fuzzed, runs_for

EXAMPLES = int(os.environ.get("APPRAISE_FUZZ_EXAMPLES", "12"))  # as long as the old 25 of fewer commands
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # time is measured by `make fuzz` (CPU time per run), not asserted here
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 100,  # the budget in `make test` is the same cases every time
)


def assert_sound(runs: list[Run]) -> None:
    """No traceback, an exit status the README documents, and every problem with the file at a line."""
    for run in runs:
        assert not run.traceback, f"{run.command}:\n{run.traceback}"
        assert run.exit_code in (0, 1, 2), f"{run.command}: exit {run.exit_code}\n{run.output}"
        assert not run.unlocated, f"{run.command}: a problem without a line: {run.unlocated}"


def through_every_command(kind: str, raw: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(os.environ["APPRAISE_DATA_DIR"])
        assert_sound(list(runs_for(kind, name, raw, Path(tmp), data_dir)))


def _case(kind: str, rng: random.Random) -> tuple[str, bytes]:
    name, seed = SEEDS[kind][rng.randrange(len(SEEDS[kind]))]
    return name, fuzzed(kind, seed, rng)


@FUZZ
@given(st.randoms(use_true_random=False))
def test_fuzzed_appraisals_never_crash_any_command(rng: random.Random) -> None:
    name, raw = _case("appraisal", rng)
    through_every_command("appraisal", raw, name)


@FUZZ
@given(st.randoms(use_true_random=False))
def test_a_fuzzed_user_checklist_never_crashes_the_commands_that_use_it(rng: random.Random) -> None:
    name, raw = _case("checklist", rng)
    through_every_command("checklist", raw, name)


@FUZZ
@given(st.randoms(use_true_random=False))
def test_a_fuzzed_review_yaml_never_crashes_validate_summary_calibrate_or_compare(rng: random.Random) -> None:
    name, raw = _case("review", rng)
    through_every_command("review", raw, name)


@FUZZ
@given(st.randoms(use_true_random=False))
def test_fuzzed_ris_bibtex_nbib_and_wos_files_never_crash_import(rng: random.Random) -> None:
    name, raw = _case("references", rng)
    through_every_command("references", raw, name)


@FUZZ
@given(st.randoms(use_true_random=False))
def test_a_fuzzed_state_json_never_stops_the_app_starting(rng: random.Random) -> None:
    name, raw = _case("state", rng)
    through_every_command("state", raw, name)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_any_command(raw: bytes) -> None:
    through_every_command("appraisal", raw, "fuzzed.yaml")
