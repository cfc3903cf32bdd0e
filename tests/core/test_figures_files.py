"""Figures as standalone files (`appraise summary -f svg|png|pdf --figure …`) and effect estimates."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from appraise.cli import cli
from appraise.core.appraisal import Outcome

DATA = Path(__file__).parent.parent / "data"
SVG = "{http://www.w3.org/2000/svg}"
ESTIMATES = [(0.8, 0.6, 1.1), (1.25, 0.9, 1.7), (0.5, 0.3, 0.85)]


def rob2_folder(folder: Path, estimates: list[tuple[float, float, float]] = ESTIMATES) -> Path:
    """RoB 2 appraisals built from the complete fixture, each with a risk ratio for readmission."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, (estimate, lower, upper) in enumerate(estimates):
        data = yaml.safe_load((DATA / "rob2-complete.yaml").read_text(encoding="utf-8"))
        data["study"]["authors"] = f"Author{i} A"
        data["outcomes"] = [
            {
                "id": "readmission",
                "name": "Readmission",
                "type": "service_use",
                "effect": {"measure": "RR", "estimate": estimate, "lower": lower, "upper": upper},
            }
        ]
        if i == 1:
            data["overrides"] = {"D3": {"judgement": "high", "reason": "many lost to follow-up"}}
        (folder / f"s{i}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_an_svg_traffic_light_keeps_text_as_text_in_mm_with_a_row_per_study(tmp_path: Path) -> None:
    folder = rob2_folder(tmp_path / "in")
    out = tmp_path / "tl.svg"
    assert invoke("summary", str(folder), "-o", str(out)).exit_code == 0
    root = ET.parse(out).getroot()
    assert root.get("width", "").endswith("mm") and root.get("height", "").endswith("mm")
    assert "Arial" in root.get("font-family", "")
    rows = root.findall(f".//{SVG}g[@class='row']")
    assert [r.find(f"{SVG}text").text for r in rows] == ["Author0 2021", "Author1 2021", "Author2 2021"]  # type: ignore[union-attr]
    words = {t.text for t in root.iter(f"{SVG}text")}
    assert {"low concern", "some concern", "high concern"} <= words and "critical concern" not in words
    assert "†" in words  # the overridden D3 is marked as in the tables


def test_forest_points_sit_where_the_estimates_say_on_a_log_axis(tmp_path: Path) -> None:
    folder = rob2_folder(tmp_path / "in")
    out = tmp_path / "forest.svg"
    assert invoke("summary", str(folder), "-o", str(out), "--figure", "forest").exit_code == 0
    root = ET.parse(out).getroot()
    panel = root.find(f".//{SVG}g[@class='panel']")
    assert panel is not None and panel.get("data-axis") == "log"
    ticks = {t.text: float(t.get("x", "0")) for t in panel.iter(f"{SVG}text") if t.get("font-size") == "10.5"}
    per_log = (ticks["1"] - ticks["0.5"]) / math.log(2)  # pixels per unit of log(RR)
    for row, (estimate, lower, upper) in zip(panel.findall(f"{SVG}g[@class='row']"), ESTIMATES, strict=True):
        point = row.find(f"{SVG}rect[@class='point']")
        ci = row.find(f"{SVG}line[@class='ci']")
        assert point is not None and ci is not None
        centre = float(point.get("x", "0")) + float(point.get("width", "0")) / 2
        assert centre == pytest.approx(ticks["1"] + math.log(estimate) * per_log, abs=0.05)
        assert float(ci.get("x1", "0")) == pytest.approx(ticks["1"] + math.log(lower) * per_log, abs=0.05)
        assert float(ci.get("x2", "0")) == pytest.approx(ticks["1"] + math.log(upper) * per_log, abs=0.05)


def test_a_mean_difference_is_drawn_on_a_linear_axis_around_zero(tmp_path: Path) -> None:
    folder = rob2_folder(tmp_path / "in", [(2.0, -1.0, 5.0)])
    text = (folder / "s0.yaml").read_text(encoding="utf-8").replace("measure: RR", "measure: MD")
    (folder / "s0.yaml").write_text(text, encoding="utf-8")
    result = invoke("summary", str(folder), "-f", "svg", "--figure", "forest")
    panel = ET.fromstring(result.output).find(f".//{SVG}g[@class='panel']")
    assert panel is not None and panel.get("data-axis") == "linear" and panel.get("data-measure") == "MD"


def test_png_is_300_dpi_and_pdf_is_a_pdf(tmp_path: Path) -> None:
    from PIL import Image

    folder = rob2_folder(tmp_path / "in")
    assert invoke("summary", str(folder), "-o", str(tmp_path / "f.png"), "--figure", "forest").exit_code == 0
    assert invoke("summary", str(folder), "-o", str(tmp_path / "f.pdf"), "--figure", "summary").exit_code == 0
    with Image.open(tmp_path / "f.png") as image:
        assert round(image.info["dpi"][0]) == 300
    assert (tmp_path / "f.pdf").read_bytes().startswith(b"%PDF")


def test_a_forest_without_any_effect_is_a_usage_error_saying_how_to_record_one(tmp_path: Path) -> None:
    result = invoke("summary", str(DATA / "rob2-complete.yaml"), "-f", "svg", "--figure", "forest")
    assert result.exit_code == 2 and "effect:" in result.output


def test_the_html_summary_draws_the_forest_plot_beside_risk_of_bias(tmp_path: Path) -> None:
    folder = rob2_folder(tmp_path / "in")
    result = invoke("summary", str(folder), "-f", "html")
    assert 'class="forest"' in result.output and "0.80 [0.60, 1.10]" in result.output


@pytest.mark.parametrize(
    ("effect", "words"),
    [
        ({"measure": "RR", "estimate": 1.2, "lower": 1.3, "upper": 1.6}, "must hold the estimate"),
        ({"measure": "OR", "estimate": 0.5, "lower": -0.1, "upper": 0.9}, "above 0"),
        ({"measure": "XX", "estimate": 1, "lower": 0, "upper": 2}, "RR"),
    ],
)
def test_an_effect_that_cannot_be_right_is_refused(effect: dict[str, Any], words: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=words):
        Outcome.model_validate({"id": "o", "effect": effect})


def test_an_outcomes_own_weight_wins_over_the_files(tmp_path: Path) -> None:
    from appraise.reports.summary import build_summary, collect

    data = yaml.safe_load((DATA / "pathways-home.yaml").read_text(encoding="utf-8"))
    data["weight"] = 20
    data["outcomes"][0]["effect"] = {"measure": "RR", "estimate": 0.9, "lower": 0.7, "upper": 1.2, "weight": 3.5}
    (tmp_path / "p.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    rows = build_summary(collect([tmp_path]))["groups"][0]["rows"]
    weights = {row["outcome"]["id"]: row["weight"] for row in rows}
    assert weights == {"readmission": 3.5, "qpr-4m": 20.0}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("RR 0.80 (0.60 to 1.10)", ("RR", 0.8, 0.6, 1.1, None)),
        ("md -2.1 [-3.5, -0.7] weight 12", ("MD", -2.1, -3.5, -0.7, 12.0)),
        ("HR 0.7 (95% CI 0.5 to 0.9)", ("HR", 0.7, 0.5, 0.9, None)),
    ],
)
def test_an_effect_is_typed_as_a_reader_writes_it(typed: str, expected: tuple[Any, ...]) -> None:
    from appraise.core.appraisal import format_effect, parse_effect

    effect = parse_effect(typed)
    assert effect is not None
    assert (effect.measure, effect.estimate, effect.lower, effect.upper, effect.weight) == expected
    assert parse_effect(format_effect(effect)) == effect  # what the dialog shows reads back the same


def test_a_typed_effect_without_a_measure_says_how_to_write_one() -> None:
    from appraise.core.appraisal import parse_effect

    with pytest.raises(ValueError, match="start with the measure"):
        parse_effect("0.8 0.6 1.1")


def test_outcome_chooses_the_forest_plots_one_outcome(tmp_path: Path) -> None:
    folder = rob2_folder(tmp_path / "in")
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["outcomes"].append(
            {
                "id": "hope",
                "name": "Hope",
                "type": "recovery",
                "effect": {"measure": "SMD", "estimate": 0.3, "lower": 0.1, "upper": 0.5},
            }
        )
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    both = ET.fromstring(invoke("summary", str(folder), "-f", "svg", "--figure", "forest").output)
    assert [p.get("data-measure") for p in both.iter(f"{SVG}g") if p.get("class") == "panel"] == ["RR", "SMD"]
    one = ET.fromstring(invoke("summary", str(folder), "-f", "svg", "--figure", "forest", "--outcome", "hope").output)
    panels = [p for p in one.iter(f"{SVG}g") if p.get("class") == "panel"]
    assert [p.get("data-measure") for p in panels] == ["SMD"] and len(panels[0].findall(f"{SVG}g[@class='row']")) == 3
