"""Small-cell suppression: no figure for a group under the threshold may leave the system.

The statistics functions always compute; the evaluation layer applies these helpers before any
output (DESIGN.md §5: default threshold 5 respondents). A group is suppressed when its size
n < threshold; for a difference, when either group is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import msgspec
import polars as pl

from pmp_surveys.analysis.differences import DifferenceResult
from pmp_surveys.analysis.paired import PairedDifferenceResult
from pmp_surveys.analysis.results import DEFAULT_SUPPRESSION_THRESHOLD, Estimate, TestResult

#: Result-frame columns masked by default by :func:`suppress_frame`.
SUPPRESSED_COLUMNS: tuple[str, ...] = (
    "estimate",
    "std_error",
    "ci_low",
    "ci_high",
    "statistic",
    "p_value",
    "p1",
    "p2",
)

_Difference = TypeVar("_Difference", DifferenceResult, PairedDifferenceResult)


def _check_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise ValueError(f"threshold must be a non-negative whole number, got {threshold!r}")
    return threshold


def is_small(n: int | None, threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> bool:
    """True when a group of size n must be suppressed (n < threshold; unknown n counts as small)."""
    _check_threshold(threshold)
    return n is None or n < threshold


def suppress_if_small(estimate: Estimate, threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> Estimate:
    """Return `estimate` unchanged, or a suppressed copy when estimate.n < threshold.

    The suppressed copy has estimate, std_error, ci_low and ci_high set to None and
    ``suppressed=True``; n, method and confidence_level are kept so that the output layer can
    say why (it must still not print n for a suppressed group if that is itself disclosive).
    An already suppressed estimate is returned as is.
    """
    if estimate.suppressed or not is_small(estimate.n, threshold):
        return estimate
    return msgspec.structs.replace(estimate, estimate=None, std_error=None, ci_low=None, ci_high=None, suppressed=True)


def _blank_test(test: TestResult) -> TestResult:
    return msgspec.structs.replace(test, statistic=None, p_value=None)


def suppress_difference_if_small(result: _Difference, threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> _Difference:
    """Suppress a difference (independent: when n1 or n2 < threshold; paired: n < threshold).

    Every numeric field, including p1, p2 and the test's statistic and p-value, becomes None.
    """
    _check_threshold(threshold)
    if result.suppressed:
        return result
    if isinstance(result, DifferenceResult):
        small = result.n1 < threshold or result.n2 < threshold
    else:
        small = result.n < threshold
    if not small:
        return result
    return msgspec.structs.replace(
        result,
        estimate=None,
        std_error=None,
        ci_low=None,
        ci_high=None,
        p1=None,
        p2=None,
        test=_blank_test(result.test),
        suppressed=True,
    )


def suppress_frame(
    frame: pl.DataFrame,
    *,
    threshold: int = DEFAULT_SUPPRESSION_THRESHOLD,
    n_column: str = "n",
    columns: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Mask figures in rows of a result frame whose `n_column` < threshold (or is null).

    The masked columns are `columns`, or by default those of :data:`SUPPRESSED_COLUMNS` present
    in the frame; they become null. A boolean ``suppressed`` column is set (OR-ed with an
    existing one). Other columns (labels, n, confidence_level) are left alone. Raises
    ValueError if `n_column` or a requested column is missing.
    """
    _check_threshold(threshold)
    if n_column not in frame.columns:
        raise ValueError(f"the frame has no {n_column!r} column to judge group size by")
    if columns is None:
        targets = [c for c in SUPPRESSED_COLUMNS if c in frame.columns]
    else:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"columns not in the frame: {missing}")
        targets = list(columns)
    small = pl.col(n_column).is_null() | (pl.col(n_column) < threshold)
    if "suppressed" in frame.columns:
        small = small | pl.col("suppressed").fill_null(True)
    masked = [pl.when(small).then(None).otherwise(pl.col(c)).alias(c) for c in targets]
    return frame.with_columns(*masked, small.alias("suppressed"))
