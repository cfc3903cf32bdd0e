"""Row labels of a summary are unique (robvis needs it), numbered in order however many studies share one."""

from __future__ import annotations

from appraise.reports.tabulate import _unique_labels


def test_repeated_labels_are_numbered_in_order() -> None:
    assert _unique_labels(["A", "A", "A (2)", "A"]) == ["A", "A (2)", "A (2) (2)", "A (3)"]


def test_ten_thousand_identical_labels_are_all_distinct() -> None:
    labels = _unique_labels(["Smith 2019"] * 10_000)
    assert len(set(labels)) == 10_000 and labels[-1] == "Smith 2019 (10000)"
