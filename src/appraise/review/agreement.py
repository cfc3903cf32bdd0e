"""Agreement among two or more reviewers over a set of items, with 95% confidence intervals.

The coefficients come from two well-kept libraries, not from code of ours:

* ``irrCAC`` (Gwet's chance-corrected agreement coefficients): Cohen's κ for two reviewers (Conger's
  κ, which is Cohen's for two), Fleiss' κ for more, weighted κ (linear and quadratic weights) for
  ordered judgements (Cohen's for two reviewers, Conger's generalisation for more), Gwet's AC1 and
  PABAK (the Brennan–Prediger coefficient, which is PABAK for two categories). Their 95% intervals
  are irrCAC's: Gwet's (2014) linearised variance with a t interval on n − 1 degrees of freedom,
  conditional on these reviewers, clipped to [−1, 1].
* ``krippendorff``: Krippendorff's α, nominal for answers and ordinal for judgement levels. Its 95%
  interval is a percentile bootstrap over items (1000 resamples, a fixed seed, so a report is
  reproducible), as Krippendorff recommends.

Items: Cohen's and weighted κ are computed over the items every reviewer answered (their classic
definitions); Fleiss' κ, AC1 and PABAK over every item anyone rated, with Gwet's (2014) treatment of
missing ratings as irrCAC implements it; α over every item at least two reviewers rated (it is
defined with missing ratings). Each statistic reports the number of items it used. Where a statistic is
undefined (fewer than two items, or every rating in one category so that chance agreement is 1),
it is None with a plain note instead of a number.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

Rating = str | None
"""One reviewer's rating of one item: a category code, or None when they gave none."""

CI_KAPPA = "Gwet (2014) variance, t interval, conditional on these reviewers (irrCAC)"
CI_ALPHA = "percentile bootstrap over items, 1000 resamples (krippendorff)"
BOOTSTRAP = 1000
SEED = 20260101


@dataclass(frozen=True)
class Statistic:
    """One agreement coefficient with its interval, the items it is computed over, or why not."""

    key: str
    """``cohen_kappa``, ``fleiss_kappa``, ``alpha_nominal``, ``alpha_ordinal``, ``kappa_linear``, …"""
    name: str
    value: float | None
    low: float | None
    high: float | None
    n: int
    method: str
    """How the interval was computed."""
    note: str = ""

    def to_data(self) -> dict[str, Any]:
        """Plain data for reports, rounded for reading."""
        return {
            "key": self.key,
            "name": self.name,
            "value": _round(self.value),
            "ci": None if self.low is None or self.high is None else [_round(self.low), _round(self.high)],
            "n": self.n,
            "ci_method": self.method,
            "note": self.note,
        }


@dataclass(frozen=True)
class Agreement:
    """Percent agreement and every coefficient over one set of items."""

    raters: int
    n: int
    """Items every reviewer answered."""
    agree: int
    """Of those, items on which every reviewer gave the same rating."""
    missing: int
    """Items left out because some reviewer gave no rating."""
    statistics: list[Statistic] = field(default_factory=list)

    @property
    def percent(self) -> float | None:
        """Items all agree on, as a percentage of the items every reviewer answered."""
        return None if self.n == 0 else 100 * self.agree / self.n

    def get(self, key: str) -> Statistic | None:
        """The statistic with this key, if it was computed."""
        return next((s for s in self.statistics if s.key == key), None)

    def to_data(self) -> dict[str, Any]:
        """Plain data: counts, percent, and each statistic."""
        return {
            "raters": self.raters,
            "n": self.n,
            "agree": self.agree,
            "disagree": self.n - self.agree,
            "missing": self.missing,
            "percent": None if self.percent is None else round(self.percent, 1),
            "statistics": [s.to_data() for s in self.statistics],
        }


def _round(value: float | None, digits: int = 3) -> float | None:
    # Adding 0.0 turns a rounded -0.0 into 0.0, which reads as "-0.00" nowhere.
    return None if value is None else round(value, digits) + 0.0


def agreement(ratings: Sequence[Sequence[Rating]], *, order: Sequence[str] | None = None) -> Agreement:
    """Agreement over ``ratings`` (one row per item, one column per reviewer).

    ``order``, when given, lists the categories from lowest to highest (judgement levels): then
    Krippendorff's ordinal α and weighted κ are added. Items nobody rated are ignored.
    """
    rows = [list(r) for r in ratings if any(x is not None for x in r)]
    raters = max((len(r) for r in rows), default=0)
    complete = [r for r in rows if all(x is not None for x in r)]
    agree = sum(len(set(r)) == 1 for r in complete)
    result = Agreement(raters, len(complete), agree, len(rows) - len(complete))
    if raters < 2:
        return result
    categories = sorted({x for r in rows for x in r if x is not None})
    if order is not None:
        known = [c for c in order if c in categories]
        categories = known + [c for c in categories if c not in known]
    kappa_key, kappa_name = ("cohen_kappa", "Cohen's κ") if raters == 2 else ("fleiss_kappa", "Fleiss' κ")
    stats = result.statistics
    if raters == 2:
        stats.append(_irr(complete, categories, "cohen", kappa_key, kappa_name))
    else:
        stats.append(_irr(rows, categories, "fleiss", kappa_key, kappa_name))
    stats.append(_alpha(rows, categories, "nominal"))
    if order is not None:
        stats.append(_alpha(rows, categories, "ordinal"))
        weighted, how = ("Cohen's", "cohen") if raters == 2 else ("Conger's", "conger")
        stats.append(_irr(complete, categories, how, "kappa_linear", f"{weighted} κ, linear weights", "linear"))
        stats.append(
            _irr(complete, categories, how, "kappa_quadratic", f"{weighted} κ, quadratic weights", "quadratic")
        )
    stats.append(_irr(rows, categories, "gwet", "gwet_ac1", "Gwet's AC1"))
    stats.append(_irr(rows, categories, "bp", "pabak", "PABAK (Brennan–Prediger)"))
    return result


def _undefined_note(n: int) -> str:
    if n < 2:
        return "not computed: fewer than 2 items"
    return ""


def _irr(
    items: list[list[Rating]],
    categories: list[str],
    method: str,
    key: str,
    name: str,
    weights: str = "identity",
) -> Statistic:
    """One irrCAC coefficient over ``items``, or a note where it is undefined."""
    n = len(items)
    note = _undefined_note(n)
    used = {x for r in items for x in r if x is not None}
    if not note and len(used) < 2 and method not in ("gwet", "bp"):
        only = next(iter(used))
        note = f"undefined: every rating is {only}, so the agreement expected by chance is 1"
    if note:
        return Statistic(key, name, None, None, None, n, CI_KAPPA, note)
    import numpy as np
    import pandas as pd
    from irrCAC.raw import CAC

    # irrCAC wants numbers; each category is its rank, so weights follow the order given.
    index = {c: i for i, c in enumerate(categories)}
    frame = pd.DataFrame([[index[x] if x is not None else np.nan for x in r] for r in items], dtype=float)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if method == "cohen":
                # Two reviewers, complete items: the q × q table form, which irrCAC computes far faster.
                from irrCAC.table import CAC as TableCAC

                table = np.zeros((len(categories), len(categories)))
                for a, b in frame.to_numpy(dtype=int):
                    table[a, b] += 1
                est = TableCAC(pd.DataFrame(table), weights=weights).cohen()["est"]
            else:
                est = getattr(CAC(frame, weights=weights, categories=list(range(len(categories)))), method)()["est"]
        except ZeroDivisionError:
            return Statistic(key, name, None, None, None, n, CI_KAPPA, "undefined: chance agreement is 1")
    value = _finite(est["coefficient_value"])
    if value is None:
        return Statistic(key, name, None, None, None, n, CI_KAPPA, "undefined: chance agreement is 1")
    low, high = (_finite(x) for x in est["confidence_interval"])
    if low is None or high is None:
        # Every item agreed in one category: the variance is 0, the value exact.
        low = high = value
    return Statistic(key, name, value, max(-1.0, low), min(1.0, high), n, CI_KAPPA)


def _alpha(rows: list[list[Rating]], categories: list[str], level: Literal["nominal", "ordinal"]) -> Statistic:
    """Krippendorff's α over the items at least two reviewers rated, with a bootstrap interval."""
    key, name = f"alpha_{level}", f"Krippendorff's α ({level})"
    pairable = [r for r in rows if sum(x is not None for x in r) >= 2]
    n = len(pairable)
    if n < 2:
        return Statistic(key, name, None, None, None, n, CI_ALPHA, "not computed: fewer than 2 items rated twice")
    if len({x for r in pairable for x in r if x is not None}) < 2:
        return Statistic(
            key, name, None, None, None, n, CI_ALPHA, "undefined: every rating is in one category (no variation)"
        )
    import krippendorff
    import numpy as np

    index = {c: float(i) for i, c in enumerate(categories)}
    data = np.array([[index[x] if x is not None else np.nan for x in r] for r in pairable]).T
    domain = np.arange(len(categories), dtype=float)
    value = float(krippendorff.alpha(reliability_data=data, value_domain=domain, level_of_measurement=level))
    rng = np.random.default_rng(SEED)
    resamples = rng.multinomial(n, np.full(n, 1 / n), size=BOOTSTRAP)
    with np.errstate(all="ignore"):
        alphas = alpha_of_resamples(data, len(categories), level, resamples)
    draws = alphas[np.isfinite(alphas)]
    if draws.size == 0:
        return Statistic(key, name, value, None, None, n, CI_ALPHA, "no interval: too little variation to resample")
    low, high = (float(x) for x in np.percentile(draws, [2.5, 97.5]))
    return Statistic(key, name, value, max(-1.0, low), min(1.0, high), n, CI_ALPHA)


def alpha_of_resamples(data: Any, values: int, level: str, resamples: Any) -> Any:
    """Krippendorff's α of many resamples of the items at once (one row of ``resamples`` each).

    ``data`` is raters × items with values 0 … values − 1 (NaN: no rating); ``resamples`` holds,
    per resample, how often each item is drawn. α = 1 − D_o / D_e from the coincidence matrix
    (Krippendorff 2011), which is a sum over items, so every resample is one matrix product rather
    than a thousand calls. With every item drawn once it equals ``krippendorff.alpha``.
    """
    import numpy as np

    counts = np.stack([np.nansum(data == v, axis=0) for v in range(values)], axis=1)  # items × values
    pairable = counts.sum(axis=1)
    per_item = (counts[:, :, None] * counts[:, None, :] - counts[:, :, None] * np.eye(values)) / (pairable - 1)[
        :, None, None
    ]
    coincidences = np.einsum("bu,uck->bck", resamples, per_item)
    marginals = coincidences.sum(axis=2)  # resamples × values
    total = marginals.sum(axis=1)
    if level == "nominal":
        delta = np.broadcast_to(1 - np.eye(values), coincidences.shape)
    else:
        # Ordinal metric: (sum of the marginals from c to k, minus half of n_c and n_k), squared.
        cum = np.cumsum(marginals, axis=1)
        low = np.minimum.outer(np.arange(values), np.arange(values))
        high = np.maximum.outer(np.arange(values), np.arange(values))
        between = cum[:, high] - cum[:, low] + marginals[:, low]
        delta = (between - (marginals[:, :, None] + marginals[:, None, :]) / 2) ** 2
    observed = (coincidences * delta).sum(axis=(1, 2))
    expected = (marginals[:, :, None] * marginals[:, None, :] * delta).sum(axis=(1, 2)) / (total - 1)
    return 1 - observed / expected


# --- Cohen's kappa, exact (the two-reviewer fields of the reports) ---------------------------------


@dataclass(frozen=True)
class Kappa:
    """Agreement between two reviewers over a set of items: counts, proportions and kappa."""

    n: int
    """Items both reviewers answered: what agreement and kappa are computed over."""
    agree: int
    missing: int
    """Items left out because one reviewer or both gave no answer."""
    observed: float | None
    expected: float | None
    kappa: float | None
    note: str = ""
    """Why kappa is not given, when it is not."""

    @property
    def percent(self) -> float | None:
        """Percent agreement over the items both answered (None when there are none)."""
        return None if self.observed is None else 100 * self.observed

    def to_data(self) -> dict[str, Any]:
        """Plain data for reports: proportions rounded for reading, None where undefined."""
        return {
            "n": self.n,
            "agree": self.agree,
            "disagree": self.n - self.agree,
            "missing": self.missing,
            "percent": _round(self.percent, 1),
            "observed": _round(self.observed, 3),
            "expected": _round(self.expected, 3),
            "kappa": _round(self.kappa, 3),
            "note": self.note,
        }


def cohen_kappa(pairs: Iterable[tuple[str | None, str | None]]) -> Kappa:
    """Cohen's kappa for two raters who each put the same items into nominal categories.

    κ = (p_o − p_e) / (1 − p_e), where p_o is the proportion of items on which the two agree and
    p_e the agreement expected by chance: the sum over every category either rater used of the
    product of the two raters' marginal proportions (Cohen J. A coefficient of agreement for
    nominal scales. Educational and Psychological Measurement 1960;20(1):37–46).
    Pairs with a ``None`` (no answer) are left out and counted as missing. Kappa is not given for
    fewer than two items, nor when p_e is 1 (both raters used the same single category), where
    the formula divides by zero; ``note`` then says why. Exact fractions make that test exact.
    """
    complete: list[tuple[str, str]] = []
    missing = 0
    for a, b in pairs:
        if a is None or b is None:
            missing += 1
        else:
            complete.append((a, b))
    n = len(complete)
    if n == 0:
        return Kappa(0, 0, missing, None, None, None, "not computed: no item answered by both reviewers")
    agree = sum(a == b for a, b in complete)
    observed = Fraction(agree, n)
    count_a = Counter(a for a, _ in complete)
    count_b = Counter(b for _, b in complete)
    expected = sum((Fraction(count_a[c] * count_b[c], n * n) for c in count_a.keys() | count_b.keys()), Fraction(0))
    if n < 2:
        return Kappa(n, agree, missing, float(observed), float(expected), None, "not computed: fewer than 2 items")
    if expected == 1:
        only = next(iter(count_a))
        note = f"undefined: both reviewers used one category only ({only}), so agreement expected by chance is 1"
        return Kappa(n, agree, missing, float(observed), 1.0, None, note)
    kappa = (observed - expected) / (1 - expected)
    return Kappa(n, agree, missing, float(observed), float(expected), float(kappa))


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


__all__ = ["CI_ALPHA", "CI_KAPPA", "Agreement", "Kappa", "Rating", "Statistic", "agreement", "cohen_kappa"]
