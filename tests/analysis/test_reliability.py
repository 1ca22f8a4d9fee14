"""Reliability statistics against ``psych::alpha`` (psych 2.2.9, R 4.2.2).

Reference values: ``tests/analysis/reference/make_extended_refs.R`` → ``extended_refs.json``
(keys ``alpha_complete``, ``alpha_pairwise``, ``alpha_listwise``; the R call is stored as ``call``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pmp_surveys.analysis.reliability import scale_reliability

REFERENCE = Path(__file__).parent / "reference"
REFS: dict[str, Any] = json.loads((REFERENCE / "extended_refs.json").read_text())
ITEMS = [f"q{i}" for i in range(1, 7)]
RTOL = 1e-9


def _check(result: Any, ref: dict[str, Any]) -> None:
    assert result.raw_alpha == pytest.approx(ref["raw_alpha"], rel=RTOL)
    assert result.std_alpha == pytest.approx(ref["std_alpha"], rel=RTOL)
    assert result.average_r == pytest.approx(ref["average_r"], rel=RTOL)
    assert [s.alpha_if_deleted for s in result.items] == pytest.approx(ref["alpha_drop"], rel=RTOL)
    assert [s.std_alpha_if_deleted for s in result.items] == pytest.approx(ref["std_alpha_drop"], rel=RTOL)
    assert [s.item_rest_r for s in result.items] == pytest.approx(ref["r_drop"], rel=RTOL)
    flat = [v for row in result.correlations for v in row]
    assert flat == pytest.approx(ref["cor"], rel=RTOL)  # R fills column-major; the matrix is symmetric


def test_complete_items_with_a_reversed_item_match_psych() -> None:
    frame = pl.read_csv(REFERENCE / "scale_items.csv")  # q4 stored as answered (reverse-worded)
    result = scale_reliability(frame, ITEMS, reverse=["q4"], points=5)
    _check(result, REFS["alpha_complete"])
    assert result.n == result.n_complete == 60


def test_pairwise_and_listwise_conventions_match_psych() -> None:
    frame = pl.read_csv(REFERENCE / "scale_items_na.csv", null_values="NA")  # q4 already keyed
    pairwise = scale_reliability(frame, ITEMS)
    _check(pairwise, REFS["alpha_pairwise"])
    listwise = scale_reliability(frame, ITEMS, missing="listwise")
    _check(listwise, REFS["alpha_listwise"])
    assert listwise.n == listwise.n_complete < pairwise.n
    assert pairwise.raw_alpha != listwise.raw_alpha


def test_bad_input_is_refused() -> None:
    frame = pl.read_csv(REFERENCE / "scale_items.csv")
    with pytest.raises(ValueError, match="missing"):
        scale_reliability(frame, ITEMS, missing="mean")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="points"):
        scale_reliability(frame, ITEMS, reverse=["q4"])
    with pytest.raises(ValueError, match="not in the frame"):
        scale_reliability(frame, [*ITEMS, "q9"])


def test_a_total_without_variance_gives_no_alpha() -> None:
    # two items that always sum to 6: the total has no variance, alpha is undefined (psych: -Inf)
    frame = pl.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [5.0, 4.0, 3.0, 2.0]})
    result = scale_reliability(frame, ["a", "b"])
    assert result.raw_alpha is None and result.std_alpha is None
    assert result.average_r == pytest.approx(-1.0)
