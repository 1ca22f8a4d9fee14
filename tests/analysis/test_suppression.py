"""Small-cell suppression."""

from __future__ import annotations

import polars as pl
import pytest

from pmp_surveys.analysis.differences import difference_ci
from pmp_surveys.analysis.paired import paired_difference_ci
from pmp_surveys.analysis.proportions import proportion_ci
from pmp_surveys.analysis.results import DEFAULT_SUPPRESSION_THRESHOLD
from pmp_surveys.analysis.suppression import (
    is_small,
    suppress_difference_if_small,
    suppress_frame,
    suppress_if_small,
)


def test_default_threshold_boundary() -> None:
    assert DEFAULT_SUPPRESSION_THRESHOLD == 5
    shown = suppress_if_small(proportion_ci(2, 5))
    assert shown.suppressed is False
    assert shown.estimate == 0.4
    hidden = suppress_if_small(proportion_ci(2, 4))
    assert hidden.suppressed is True
    assert (hidden.estimate, hidden.std_error, hidden.ci_low, hidden.ci_high) == (None, None, None, None)
    assert hidden.n == 4
    assert hidden.method == "wilson"
    assert suppress_if_small(hidden) is hidden
    assert suppress_if_small(proportion_ci(2, 9), threshold=10).suppressed is True
    assert is_small(None)
    assert is_small(0)
    assert not is_small(5)


def test_suppressed_estimate_serialises_without_numbers() -> None:
    d = suppress_if_small(proportion_ci(1, 3)).to_dict()
    assert d["estimate"] is None
    assert d["ci_low"] is None
    assert d["suppressed"] is True


def test_difference_suppressed_when_either_group_small() -> None:
    r = suppress_difference_if_small(difference_ci(3, 4, 10, 20))
    assert r.suppressed is True
    assert (r.estimate, r.ci_low, r.ci_high, r.p1, r.p2) == (None, None, None, None, None)
    assert r.test.p_value is None
    assert r.test.statistic is None
    kept = difference_ci(3, 5, 10, 20)
    assert suppress_difference_if_small(kept) is kept
    paired = suppress_difference_if_small(paired_difference_ci(1, 1, 1, 0))
    assert paired.suppressed is True
    assert paired.estimate is None


def test_frame_masking() -> None:
    frame = pl.DataFrame(
        {
            "group": ["a", "b", "c", "d"],
            "n": [3, 5, None, 40],
            "estimate": [0.3, 0.4, 0.5, 0.6],
            "ci_low": [0.1, 0.2, 0.3, 0.4],
            "ci_high": [0.5, 0.6, 0.7, 0.8],
            "year": [2025, 2025, 2025, 2025],
        }
    )
    out = suppress_frame(frame)
    assert out["estimate"].to_list() == [None, 0.4, None, 0.6]
    assert out["ci_high"].to_list() == [None, 0.6, None, 0.8]
    assert out["suppressed"].to_list() == [True, False, True, False]
    assert out["year"].to_list() == [2025] * 4
    assert out["group"].to_list() == frame["group"].to_list()
    assert out["estimate"].dtype == pl.Float64


def test_frame_existing_flag_and_custom_columns() -> None:
    frame = pl.DataFrame({"count": [10, 2], "share": [0.1, 0.2], "suppressed": [True, False]})
    out = suppress_frame(frame, n_column="count", columns=["share"])
    assert out["share"].to_list() == [None, None]
    assert out["suppressed"].to_list() == [True, True]
    with pytest.raises(ValueError, match="n"):
        suppress_frame(frame)
    with pytest.raises(ValueError, match="columns"):
        suppress_frame(frame, n_column="count", columns=["missing"])
    with pytest.raises(ValueError, match="threshold"):
        suppress_frame(frame, n_column="count", threshold=-1)
