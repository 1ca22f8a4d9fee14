"""Holm and Benjamini–Hochberg adjustment.

References: R 4.x ``p.adjust(p, "holm")`` / ``p.adjust(p, "BH")`` (values quoted below) and
statsmodels ``multipletests(method="holm" | "fdr_bh")``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from pmp_surveys.analysis.multiplicity import adjust_p_values

P = [0.01, 0.04, 0.03, 0.005, 0.5, 0.04, 0.2]


def test_against_r_p_adjust() -> None:
    # p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5, 0.04, 0.2), "holm")
    assert adjust_p_values(P, method="holm") == pytest.approx([0.06, 0.16, 0.15, 0.035, 0.5, 0.16, 0.4])
    # p.adjust(..., "BH")
    assert adjust_p_values(P, method="benjamini-hochberg") == pytest.approx(
        [0.035, 0.056, 0.056, 0.035, 0.5, 0.056, 0.233333333333]
    )


def test_missing_kept_in_place_against_r() -> None:
    # p.adjust(c(0.02, NA, 0.001, 0.3, NA, 0.04), "holm") and "BH" (R drops NA from m)
    p = [0.02, None, 0.001, 0.3, float("nan"), 0.04]
    holm = adjust_p_values(p, method="holm")
    bh = adjust_p_values(p, method="benjamini-hochberg")
    assert holm[1] is None
    assert bh[1] is None
    assert holm[4] is not None
    assert math.isnan(holm[4])
    assert [holm[i] for i in (0, 2, 3, 5)] == pytest.approx([0.06, 0.004, 0.3, 0.08])
    assert [bh[i] for i in (0, 2, 3, 5)] == pytest.approx([0.04, 0.004, 0.3, 0.0533333333333])


@pytest.mark.parametrize(("ours", "theirs"), [("holm", "holm"), ("benjamini-hochberg", "fdr_bh")])
def test_against_statsmodels(ours: str, theirs: str) -> None:
    rng = np.random.default_rng(20260101)
    for size in (1, 2, 5, 17, 60):
        p = rng.uniform(0, 0.2, size=size)
        p[rng.integers(0, size)] = p[0]  # ties
        expected = multipletests(p, method=theirs)[1]
        assert adjust_p_values(list(p), method=ours) == pytest.approx(list(expected), abs=1e-15)  # type: ignore[arg-type]


def test_edge_cases() -> None:
    assert adjust_p_values([]) == []
    assert adjust_p_values([None, None]) == [None, None]
    assert adjust_p_values([0.3]) == [0.3]
    assert adjust_p_values([0.0, 1.0], method="benjamini-hochberg") == [0.0, 1.0]
    with pytest.raises(ValueError, match="p-values"):
        adjust_p_values([0.1, 1.5])
    with pytest.raises(ValueError, match="method"):
        adjust_p_values([0.1], method="sidak")  # type: ignore[arg-type]
