"""Agreement statistics checked against published worked examples."""

from __future__ import annotations

import pytest

from appraise.review.agreement import agreement

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12 units, values 1-5,
# None where an observer did not rate the unit. Rows are units, columns observers. The same data are
# Gwet's (2014) and the irrCAC documentation's worked example for AC1 and Fleiss' kappa.
KRIPPENDORFF_2011 = [
    ["1", "1", None, "1"],
    ["2", "2", "3", "2"],
    ["3", "3", "3", "3"],
    ["3", "3", "3", "3"],
    ["2", "2", "2", "2"],
    ["1", "2", "3", "4"],
    ["4", "4", "4", "4"],
    ["1", "1", "2", "1"],
    ["2", "2", "2", "2"],
    [None, "5", "5", "5"],
    [None, None, "1", "1"],
    [None, None, "3", None],
]

# Fleiss (1971), Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses (which psychiatrist gave
# which diagnosis does not matter to Fleiss' kappa, so each row lists the six diagnoses in order).
FLEISS_1971 = [
    "444444",
    "222555",
    "233335",
    "555555",
    "222444",
    "113333",
    "333355",
    "113334",
    "114444",
    "555555",
    "144444",
    "124444",
    "222333",
    "144444",
    "224445",
    "333335",
    "111455",
    "111112",
    "224444",
    "133555",
    "555555",
    "244444",
    "224555",
    "114444",
    "144445",
    "222224",
    "111155",
    "224444",
    "133333",
    "555555",
]


def stat(rows: list[list[str | None]], key: str, **kw: object) -> dict[str, object]:
    data = agreement(rows, **kw).to_data()  # type: ignore[arg-type]
    return next(s for s in data["statistics"] if s["key"] == key)


def test_fleiss_kappa_of_fleiss_1971_table_1_is_0_430() -> None:
    result = stat([list(r) for r in FLEISS_1971], "fleiss_kappa")
    assert result["value"] == pytest.approx(0.430, abs=0.0005)
    assert result["n"] == 30


def test_fleiss_kappa_has_a_95_percent_interval_around_it() -> None:
    result = stat([list(r) for r in FLEISS_1971], "fleiss_kappa")
    low, high = result["ci"]  # type: ignore[misc]
    assert low < 0.430 < high
    assert "Gwet (2014)" in str(result["ci_method"])


def test_krippendorff_alpha_of_the_reliability_data_example_is_0_743() -> None:
    result = stat(KRIPPENDORFF_2011, "alpha_nominal")
    assert result["value"] == pytest.approx(0.743, abs=0.0005)
    assert result["n"] == 11  # the unit only one observer rated is not pairable


def test_alpha_interval_is_a_reproducible_bootstrap() -> None:
    first, second = stat(KRIPPENDORFF_2011, "alpha_nominal"), stat(KRIPPENDORFF_2011, "alpha_nominal")
    assert first["ci"] == second["ci"]
    low, high = first["ci"]  # type: ignore[misc]
    assert low < 0.743 <= high <= 1
    assert "bootstrap" in str(first["ci_method"])


def test_gwet_ac1_of_the_irrcac_worked_example_is_0_775_with_its_interval() -> None:
    result = agreement(KRIPPENDORFF_2011).get("gwet_ac1")
    assert result is not None
    assert result.value == pytest.approx(0.77544, abs=0.00001)
    assert (result.low, result.high) == (pytest.approx(0.46081, abs=0.00001), 1.0)


def test_fleiss_kappa_with_missing_ratings_matches_the_irrcac_worked_example() -> None:
    result = agreement(KRIPPENDORFF_2011).get("fleiss_kappa")
    assert result is not None and result.value == pytest.approx(0.76117, abs=0.00001)


def test_two_reviewers_get_cohens_kappa_over_the_items_both_answered() -> None:
    # Cohen's 2x2 textbook table: 20 agree yes, 15 agree no, 5 + 10 disagree; kappa 0.4.
    rows = [["Y", "Y"]] * 20 + [["Y", "N"]] * 5 + [["N", "Y"]] * 10 + [["N", "N"]] * 15 + [["Y", None]]
    result = stat(rows, "cohen_kappa")
    assert result["value"] == pytest.approx(0.4, abs=0.0005)
    assert result["n"] == 50


def test_pabak_for_two_categories_is_twice_agreement_minus_one() -> None:
    rows = [["Y", "Y"]] * 20 + [["Y", "N"]] * 5 + [["N", "Y"]] * 10 + [["N", "N"]] * 15
    assert stat(rows, "pabak")["value"] == pytest.approx(2 * 0.7 - 1, abs=0.0005)


def test_ordered_judgements_get_ordinal_alpha_and_weighted_kappa() -> None:
    order = ["low", "some", "high"]
    rows = [["low", "some"], ["low", "low"], ["some", "high"], ["high", "high"], ["low", "high"]]
    data = agreement(rows, order=order).to_data()
    keys = {s["key"] for s in data["statistics"]}
    assert {"alpha_ordinal", "kappa_linear", "kappa_quadratic"} <= keys
    linear = stat(rows, "kappa_linear", order=order)["value"]
    nominal = stat(rows, "cohen_kappa", order=order)["value"]
    # Near misses (low vs some) count partly under weights, so weighted kappa exceeds the nominal one.
    assert linear > nominal  # type: ignore[operator]


def test_one_category_only_makes_kappa_and_alpha_a_note_not_a_number() -> None:
    data = agreement([["Y", "Y"]] * 3).to_data()
    by_key = {s["key"]: s for s in data["statistics"]}
    assert by_key["cohen_kappa"]["value"] is None
    assert "expected by chance is 1" in by_key["cohen_kappa"]["note"]
    assert by_key["alpha_nominal"]["value"] is None and by_key["alpha_nominal"]["note"]
    assert by_key["gwet_ac1"]["value"] == 1.0


def test_fewer_than_two_items_is_a_note() -> None:
    data = agreement([["Y", "N"]]).to_data()
    assert all(s["value"] is None and s["note"] for s in data["statistics"])


@pytest.mark.parametrize("level", ["nominal", "ordinal"])
def test_the_bootstrap_computes_alpha_as_the_krippendorff_library_does(level: str) -> None:
    import krippendorff
    import numpy as np

    from appraise.review.agreement import alpha_of_resamples

    data = np.array([[np.nan if x is None else float(x) - 1 for x in row] for row in KRIPPENDORFF_2011[:11]]).T
    expected = krippendorff.alpha(reliability_data=data, value_domain=np.arange(5.0), level_of_measurement=level)
    every_item_once = np.ones((1, data.shape[1]))
    assert alpha_of_resamples(data, 5, level, every_item_once)[0] == pytest.approx(expected)
