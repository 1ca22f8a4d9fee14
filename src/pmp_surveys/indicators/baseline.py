"""Baselines and changes: which baseline an indicator is compared with, and how.

- Two samples (microdata of a baseline wave, or figures of a baseline year): Newcombe's hybrid
  score interval (1998b, method 10) with the pooled score test when both groups are binomial; a
  difference of two independent design-based estimates (SE = sqrt(SE1² + SE0²)) otherwise, with
  Student t on the designs' degrees of freedom (df1 + df0), not z: with few schools z is too
  liberal (R: ``svycontrast`` on the stacked waves, ``degf``).
- Complete counts (administrative figures read as a census, ``Indicator.inference``): the plain
  difference, no interval and no test (:func:`census_change`).
- Against a published value p0 (no microdata): p0 is a known constant, so its own sampling error
  is ignored (say so when reporting). Binomial groups: the one-sample score test with the variance
  at p0, and the Wilson interval minus p0 (the interval that inverts the same test); design-based
  groups: t = (p̂ − p0)/SE on the design's df and the design interval minus p0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import msgspec
from scipy import stats

from pmp_surveys.analysis.differences import difference_ci, normal_p_value
from pmp_surveys.analysis.one_sample import one_sample_test
from pmp_surveys.analysis.proportions import normal_quantile
from pmp_surveys.analysis.results import Estimate
from pmp_surveys.catalogue.schema import Indicator
from pmp_surveys.indicators.estimates import GroupEstimate
from pmp_surveys.indicators.notes import note
from pmp_surveys.indicators.schemas import BaselineSource, NoteCode

__all__ = [
    "BASELINE_WORDS",
    "BaselineChoice",
    "Change",
    "ResolvedBaseline",
    "baseline_word",
    "census_change",
    "change_against_published",
    "design_df",
    "difference_t",
    "parse_baseline",
    "resolve_baseline",
    "two_sample_change",
]

BaselineChoice = int | Literal["plan", "published"] | None
"""Which baseline the evaluation compares with — one vocabulary for the CLI, the API, the report and
the dashboard (:data:`BASELINE_WORDS`, :func:`parse_baseline`):

- None (``auto``, the default): the stated rule — the most recent earlier wave of the same
  instrument with microdata (for administrative indicators: the most recent earlier year with
  figures), else the plan's baseline (``plan``), never the evaluated wave itself;
- ``plan``: each indicator's baseline as the plan sets it (a "to be set in 2024" wave, or the
  published figure, using that year's data when held);
- ``published``: the figure printed in the plan, always;
- a year: that wave's microdata / that year's figures.
"""

#: The words a user can give for a baseline, besides a year.
BASELINE_WORDS: tuple[str, ...] = ("auto", "plan", "published")


def parse_baseline(raw: str | None) -> BaselineChoice:
    """``auto``/empty/None → None; ``plan``; ``published``; a year 1990–2100 → int. Raises
    ValueError with a message naming the accepted values otherwise."""
    if raw is None or raw in ("", "auto"):
        return None
    if raw in ("plan", "published"):
        return raw  # type: ignore[return-value]
    if raw.isascii() and raw.isdigit() and 1990 <= int(raw) <= 2100:
        return int(raw)
    raise ValueError(f"baseline must be a year (e.g. 2024), 'auto', 'plan' or 'published', got {raw!r}")


def baseline_word(choice: BaselineChoice) -> str:
    """The inverse of :func:`parse_baseline` (None → ``auto``)."""
    return "auto" if choice is None else str(choice)


class ResolvedBaseline(msgspec.Struct, frozen=True, kw_only=True):
    source: BaselineSource
    year: int | None = None
    value: float | None = None
    note: NoteCode | None = None


def resolve_baseline(
    indicator: Indicator, choice: BaselineChoice, *, has_data: set[int], wave: int | None = None
) -> ResolvedBaseline:
    """Which baseline an indicator is compared with (see :data:`BaselineChoice`).

    `has_data` holds the years with microdata (survey) or imported figures (administrative);
    `wave` is the evaluated wave (without it, ``auto`` is the same as ``plan``). ``plan`` takes the
    catalogue's baseline: a "to be set" wave uses that wave's data; a published figure uses that
    year's data when held, else the published value. An explicit year uses that year's data (or
    the published value of that year), else the ``auto`` rule, with a note. "published" always
    uses the catalogue's figure.
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
    if choice is None and wave is not None:
        earlier = [y for y in has_data if y < wave]
        if earlier:
            return ResolvedBaseline(source=data_source, year=max(earlier))
        plan = resolve_baseline(indicator, "plan", has_data=has_data)
        if plan.source in ("microdata", "figures") and plan.year is not None and plan.year >= wave:
            return published or ResolvedBaseline(source="none", note=note("no_earlier_wave", wave=wave))
        return plan
    if isinstance(choice, int):
        if choice in has_data:
            return ResolvedBaseline(source=data_source, year=choice)
        if published is not None and published.year == choice:
            return published
        # A wave year asked for the survey indicators should not strip the others of their
        # comparison: fall back to the stated rule, and say so.
        fallback = resolve_baseline(indicator, None, has_data=has_data, wave=wave)
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


def design_df(*estimates: Estimate) -> int | None:
    """Degrees of freedom of (independent) design-based estimates taken together: the sum of each
    one's PSUs − strata, as R's ``degf()`` of the two waves stacked into one design with the waves'
    strata kept apart. None when an estimate carries no df (e.g. a binomial Wilson estimate)."""
    total = 0
    for estimate in estimates:
        df = getattr(estimate, "df", None)
        if not isinstance(df, int) or df < 1:
            return None
        total += df
    return total


def difference_t(
    diff: float, se: float, df: int | None, confidence_level: float
) -> tuple[float, float, float | None, str]:
    """(low, high, two-sided p, method) of a design-based difference: Student t on the design's
    degrees of freedom (R ``svycontrast`` + ``confint(df=degf(design))`` / ``svyttest``); the normal
    z only when there are no degrees of freedom to speak of (``df`` None)."""
    if df is None:
        z = normal_quantile(confidence_level)
        return diff - z * se, diff + z * se, normal_p_value(diff / se, "two-sided"), "design-z"
    q = float(stats.t.ppf(0.5 + confidence_level / 2.0, df))
    p = min(1.0, 2.0 * float(stats.t.sf(abs(diff / se), df)))
    return diff - q * se, diff + q * se, p, "design-t"


def two_sample_change(current: GroupEstimate, base: GroupEstimate, confidence_level: float) -> Change:
    cur, old = current.estimate, base.estimate
    assert cur is not None and old is not None
    if current.successes is not None and base.successes is not None:
        d = difference_ci(current.successes, cur.n, base.successes, old.n, confidence_level=confidence_level)
        return Change(d.estimate, d.ci_low, d.ci_high, d.test.p_value, "newcombe, score-pooled test")
    df = design_df(cur, old)
    method = "design-z" if df is None else "design-t"
    if cur.estimate is None or old.estimate is None or cur.std_error is None or old.std_error is None:
        return Change(method=method)
    diff = cur.estimate - old.estimate
    se = math.hypot(cur.std_error, old.std_error)
    if se == 0.0:
        return Change(diff, diff, diff, 1.0 if diff == 0.0 else None, method)
    low, high, p, method = difference_t(diff, se, df, confidence_level)
    return Change(diff, max(-1.0, low), min(1.0, high), p, method)


#: ``change_method`` of a change between complete counts (or a count and a published value).
CENSUS_DIFFERENCE = "difference (census)"


def census_change(current: GroupEstimate, base_value: float) -> Change:
    """Change of a complete count against a baseline value (the baseline year's count or the plan's
    published figure): the plain difference. Both are population values, so there is nothing to
    test and no interval (a sampling interval of a census would be an artefact)."""
    cur = current.estimate
    assert cur is not None and cur.estimate is not None
    return Change(cur.estimate - base_value, None, None, None, CENSUS_DIFFERENCE)


def change_against_published(current: GroupEstimate, p0: float) -> Change:
    cur = current.estimate
    assert cur is not None and cur.estimate is not None
    diff = cur.estimate - p0
    low = None if cur.ci_low is None else cur.ci_low - p0
    high = None if cur.ci_high is None else cur.ci_high - p0
    if current.successes is not None:
        kind: Literal["score", "exact"] = "score" if 0.0 < p0 < 1.0 else "exact"
        test = one_sample_test(current.successes, cur.n, p0, method=kind)
        return Change(diff, low, high, test.p_value, f"one-sample {kind} test vs p0")
    df = design_df(cur)
    method = ("design-z" if df is None else "design-t") + " vs p0"
    if cur.std_error is None or cur.std_error == 0.0:
        return Change(diff, low, high, None, method)
    _, _, p, _ = difference_t(diff, cur.std_error, df, cur.confidence_level)
    return Change(diff, low, high, p, method)


# -- one indicator -----------------------------------------------------------------------------------
