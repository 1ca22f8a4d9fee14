"""Baselines and changes: which baseline an indicator is compared with, and how.

- Two samples (microdata of a baseline wave, or figures of a baseline year): Newcombe's hybrid
  score interval (1998b, method 10) with the pooled score test when both groups are binomial; a
  z difference of two independent design-based estimates (SE = sqrt(SE1² + SE0²)) otherwise.
- Against a published value p0 (no microdata): p0 is a known constant, so its own sampling error
  is ignored (say so when reporting). Binomial groups: the one-sample score test with the variance
  at p0, and the Wilson interval minus p0 (the interval that inverts the same test); design-based
  groups: z = (p̂ − p0)/SE and the design interval minus p0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import msgspec

from pmp_surveys.analysis.differences import difference_ci, normal_p_value
from pmp_surveys.analysis.one_sample import one_sample_test
from pmp_surveys.analysis.proportions import normal_quantile
from pmp_surveys.catalogue.schema import Indicator
from pmp_surveys.indicators.estimates import GroupEstimate
from pmp_surveys.indicators.notes import note
from pmp_surveys.indicators.schemas import BaselineSource, NoteCode

__all__ = [
    "BaselineChoice",
    "Change",
    "ResolvedBaseline",
    "change_against_published",
    "resolve_baseline",
    "two_sample_change",
]

BaselineChoice = int | Literal["published"] | None


class ResolvedBaseline(msgspec.Struct, frozen=True, kw_only=True):
    source: BaselineSource
    year: int | None = None
    value: float | None = None
    note: NoteCode | None = None


def resolve_baseline(indicator: Indicator, choice: BaselineChoice, *, has_data: set[int]) -> ResolvedBaseline:
    """Which baseline an indicator is compared with.

    `has_data` holds the years with microdata (survey) or imported figures (administrative).
    ``choice`` None takes the catalogue's baseline: a "to be set" wave uses that wave's data; a
    published figure uses that year's data when held, else the published value. An explicit year
    uses that year's data (or the published value of that year), else the catalogue's baseline
    as with None, with a note. "published" always uses the catalogue's figure.
    """
    data_source: BaselineSource = "microdata" if indicator.is_survey else "figures"
    b = indicator.baseline
    published = (
        ResolvedBaseline(source="published", year=b.year, value=b.value)
        if b is not None and b.value is not None
        else None
    )
    if choice == "published":
        return published or ResolvedBaseline(source="none", note=note("no_published_baseline"))
    if isinstance(choice, int):
        if choice in has_data:
            return ResolvedBaseline(source=data_source, year=choice)
        if published is not None and published.year == choice:
            return published
        # A wave year asked for the survey indicators should not strip the others of their
        # comparison: fall back to the plan's own baseline, and say so.
        fallback = resolve_baseline(indicator, None, has_data=has_data)
        if fallback.source != "none":
            why = note("baseline_year_without_data_fallback", year=choice, fallback=str(fallback.year))
        else:
            why = note("baseline_year_without_data", year=choice)
        return msgspec.structs.replace(fallback, note=why)
    if b is None:
        return ResolvedBaseline(source="none", note=note("no_baseline"))
    if b.to_be_set is not None:
        if b.to_be_set in has_data:
            return ResolvedBaseline(source=data_source, year=b.to_be_set)
        return ResolvedBaseline(source="none", note=note("baseline_to_be_set", year=b.to_be_set))
    if b.year is not None and b.year in has_data and (b.microdata or not indicator.is_survey):
        return ResolvedBaseline(source=data_source, year=b.year)
    return published or ResolvedBaseline(source="none", note=note("no_baseline"))


@dataclass(frozen=True)
class Change:
    change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    method: str | None = None


def two_sample_change(current: GroupEstimate, base: GroupEstimate, confidence_level: float) -> Change:
    cur, old = current.estimate, base.estimate
    assert cur is not None and old is not None
    if current.successes is not None and base.successes is not None:
        d = difference_ci(current.successes, cur.n, base.successes, old.n, confidence_level=confidence_level)
        return Change(d.estimate, d.ci_low, d.ci_high, d.test.p_value, "newcombe, score-pooled test")
    if cur.estimate is None or old.estimate is None or cur.std_error is None or old.std_error is None:
        return Change(method="design-z")
    diff = cur.estimate - old.estimate
    se = math.hypot(cur.std_error, old.std_error)
    if se == 0.0:
        return Change(diff, diff, diff, 1.0 if diff == 0.0 else None, "design-z")
    z = normal_quantile(confidence_level)
    return Change(
        diff, max(-1.0, diff - z * se), min(1.0, diff + z * se), normal_p_value(diff / se, "two-sided"), "design-z"
    )


def change_against_published(current: GroupEstimate, p0: float) -> Change:
    cur = current.estimate
    assert cur is not None and cur.estimate is not None
    diff = cur.estimate - p0
    low = None if cur.ci_low is None else cur.ci_low - p0
    high = None if cur.ci_high is None else cur.ci_high - p0
    if current.successes is not None:
        method: Literal["score", "exact"] = "score" if 0.0 < p0 < 1.0 else "exact"
        test = one_sample_test(current.successes, cur.n, p0, method=method)
        return Change(diff, low, high, test.p_value, f"one-sample {method} test vs p0")
    if cur.std_error is None or cur.std_error == 0.0:
        return Change(diff, low, high, None, "design-z vs p0")
    return Change(diff, low, high, normal_p_value(diff / cur.std_error, "two-sided"), "design-z vs p0")


# -- one indicator -----------------------------------------------------------------------------------
