"""Property-based fuzzing: any bytes, any YAML structure, through every command, never a traceback.

``make test`` runs a small fixed budget; ``make fuzz`` runs thousands (APPRAISE_FUZZ_EXAMPLES).
Every run goes in-process through the CLI's own runner, so a large run fits in minutes.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appraise.cli import cli

ROOT = Path(__file__).parent.parent.parent
SEEDS = {
    "appraisal": (ROOT / "tests" / "data" / "pathways-home.yaml").read_bytes(),
    "rob2": (ROOT / "tests" / "data" / "rob2-complete.yaml").read_bytes(),
    "checklist": (ROOT / "checklists" / "rct-reading.yaml").read_bytes(),
}
EXAMPLES = int(os.environ.get("APPRAISE_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=2000 if EXAMPLES > 100 else None,  # `make fuzz` also holds every run to 2 s
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 100,  # the budget in `make test` is the same cases every time
)
LOCATED = re.compile(r"^(?P<path>/[^:]+\.(?:yaml|yml)):(?P<line>\d+):(?P<col>\d+): ")


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """A seed file with a few bytes flipped, inserted, deleted or spliced from hostile pieces."""
    data = bytearray(seed)
    pieces = [b"\x00", b"\xff", b"\x1b]0;T\x07", b"&a [*a]", b"*a", b"[[[[[[[[", b"{", b"\t", b": :", b"\xef\xbb\xbf"]
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        op = draw(st.sampled_from(["flip", "insert", "delete", "piece", "dup-line"]))
        if op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "piece":
            data[at:at] = draw(st.sampled_from(pieces))
        else:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data[start:start] = data[start:end]
    return bytes(data)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.sampled_from(["Y", "N", "rct"]))
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@st.composite
def structured_appraisal(draw: st.DrawFn) -> bytes:
    """A well-formed YAML document with the appraisal keys holding arbitrary structures."""
    doc = yaml.safe_load(SEEDS["appraisal"])
    for key in draw(st.lists(st.sampled_from([*doc, "consensus", "practice", "answerz"]), max_size=3)):
        doc[key] = draw(values)
    return yaml.safe_dump(doc, allow_unicode=True).encode("utf-8")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # hypothesis shows the traceback and shrinks the file
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), result.output
    return result.exit_code, result.output


def assert_errors_located(output: str, path: Path) -> None:
    """Every problem that names the fuzzed file names a line and column too."""
    for line in output.splitlines():
        if line.startswith(f"{path}: ok ("):
            continue
        if line.startswith(f"{path}:") or line.startswith(f"{path} "):
            found = LOCATED.match(line)
            assert found and int(found["line"]) >= 1, f"a problem without a line: {line}"


def _commands(path: Path, folder: Path) -> list[list[str]]:
    other = ROOT / "tests" / "data" / "pathways-home-reviewer-a.yaml"
    return [
        ["validate", str(path)],
        ["report", "-f", "json", str(path)],
        ["report", "-f", "md", str(path)],
        ["summary", "-f", "csv", str(path)],
        ["summary", "-f", "robvis", "--allow-incomplete", str(path)],
        ["compare", str(path), str(other)],
        ["consensus", str(path), str(other), "-o", str(folder / "consensus.yaml")],
    ]


def _through_every_command(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "fuzzed.yaml"
        path.write_bytes(raw)
        for args in _commands(path, folder):
            _, output = run(*args)
            if args[0] == "validate":
                assert_errors_located(output, path)
            (folder / "consensus.yaml").unlink(missing_ok=True)


@FUZZ
@given(mutated(SEEDS["appraisal"]))
def test_mutated_appraisal_files_never_crash_any_command(raw: bytes) -> None:
    _through_every_command(raw)


@FUZZ
@given(mutated(SEEDS["rob2"]))
def test_mutated_rob2_appraisals_never_crash_any_command(raw: bytes) -> None:
    _through_every_command(raw)


@FUZZ
@given(structured_appraisal())
def test_any_structure_under_appraisal_keys_never_crashes(raw: bytes) -> None:
    _through_every_command(raw)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_crash_any_command(raw: bytes) -> None:
    _through_every_command(raw)


@FUZZ
@given(mutated(SEEDS["checklist"]))
def test_a_mutated_user_checklist_never_crashes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "checklist.yaml"
        path.write_bytes(raw)
        _, output = run("validate", str(path))
        assert_errors_located(output, path)
        user = Path(os.environ["APPRAISE_DATA_DIR"]) / "checklists"
        user.mkdir(parents=True, exist_ok=True)
        (user / "rct-reading.yaml").write_bytes(raw)  # a broken user copy shadows the bundled one
        try:
            run("checklists")
            run("summary", "-f", "robvis", "--allow-incomplete", str(ROOT / "tests" / "data"))
            run("report", str(ROOT / "tests" / "data" / "pathways-home.yaml"))
        finally:
            (user / "rct-reading.yaml").unlink()


@FUZZ
@given(mutated(b"TY  - JOUR\nTI  - Peer support\nAU  - Doe, Jane\nPY  - 2020\nDO  - 10.1/x\nER  - \n" * 2))
def test_mutated_reference_files_never_crash_import(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in (".ris", ".bib", ".nbib", ".txt"):
            path = Path(tmp) / f"refs{suffix}"
            path.write_bytes(raw)
            run("import", str(path), "-d", str(Path(tmp) / "out"))
