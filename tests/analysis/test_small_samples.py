"""Continuity-corrected intervals, Newcombe 11, Mee, Yates, Fisher, Wald z and p.adjust methods.

Reference values: ``tests/analysis/reference/make_extended_refs.R`` (R 4.2.2 stats) in
``extended_refs.json``; each test names the R call (also stored as ``call``). Newcombe (1998b)
published method-11 limits for 56/70 vs 48/80 are 0.0428 to 0.3422 (Table II).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pmp_surveys.analysis.multiplicity import adjust_p_values
from pmp_surveys.analysis.small_samples import (
    difference_ci_mee,
    difference_ci_newcombe_cc,
    fisher_exact_test,
    proportion_ci_corrected,
    wald_z_test,
    yates_test_one_sample,
    yates_test_two_samples,
)

REFS: dict[str, Any] = json.loads((Path(__file__).parent / "reference" / "extended_refs.json").read_text())
RTOL = 1e-9
ROOT_ATOL = 1e-7


def _limits(result: Any) -> tuple[float, float]:
    return (result.ci_low, result.ci_high)


def test_wilson_cc_matches_prop_test() -> None:
    assert _limits(proportion_ci_corrected(81, 263)) == pytest.approx(REFS["wilson_cc"]["ci"], rel=RTOL)
    zero = proportion_ci_corrected(0, 10)  # prop.test(0, 10, correct=TRUE)$conf.int
    assert zero.ci_low == 0.0
    assert zero.ci_high == pytest.approx(REFS["wilson_cc_zero"]["ci"][1], rel=RTOL)


def test_wald_cc_is_newcombe_method_2() -> None:
    result = proportion_ci_corrected(81, 263, method="wald-cc")
    assert _limits(result) == pytest.approx(REFS["wald_cc"]["ci"], rel=RTOL)


def test_newcombe_method_11_matches_r_and_the_published_example() -> None:
    result = difference_ci_newcombe_cc(56, 70, 48, 80)
    assert _limits(result) == pytest.approx(REFS["newcombe11"]["ci"], rel=RTOL)
    assert _limits(result) == pytest.approx((0.0428, 0.3422), abs=5e-5)  # Newcombe 1998b, Table II
    assert _limits(difference_ci_newcombe_cc(9, 10, 3, 10)) == pytest.approx(REFS["newcombe11_b"]["ci"], rel=RTOL)


def test_mee_interval_is_the_root_of_the_score_statistic() -> None:
    result = difference_ci_mee(56, 70, 48, 80)
    assert _limits(result) == pytest.approx(REFS["mee"]["ci"], abs=ROOT_ATOL)


def test_yates_two_sample_and_one_sample_match_prop_test() -> None:
    two = yates_test_two_samples(56, 70, 48, 80)  # prop.test(c(56, 48), c(70, 80), correct=TRUE)
    assert two.statistic == pytest.approx(REFS["yates_two"]["statistic"], rel=RTOL)
    assert two.p_value == pytest.approx(REFS["yates_two"]["p_value"], rel=RTOL)
    one = yates_test_one_sample(81, 263, 0.25)  # prop.test(81, 263, p=0.25, correct=TRUE)
    assert one.statistic == pytest.approx(REFS["yates_one"]["statistic"], rel=RTOL)
    assert one.p_value == pytest.approx(REFS["yates_one"]["p_value"], rel=RTOL)


def test_fisher_exact_matches_fisher_test() -> None:
    assert fisher_exact_test(3, 4, 1, 4).p_value == pytest.approx(REFS["fisher_tea"]["p_value"], rel=1e-9)
    assert fisher_exact_test(56, 70, 48, 80).p_value == pytest.approx(REFS["fisher_56"]["p_value"], rel=1e-9)
    greater = fisher_exact_test(56, 70, 48, 80, alternative="greater")
    assert greater.p_value == pytest.approx(REFS["fisher_56_greater"]["p_value"], rel=1e-9)


def test_one_sample_wald_z_uses_the_sample_variance() -> None:
    result = wald_z_test(81, 263, 0.25)
    assert result.statistic == pytest.approx(REFS["wald_z"]["statistic"], rel=RTOL)
    assert result.p_value == pytest.approx(REFS["wald_z"]["p_value"], rel=RTOL)
    assert wald_z_test(0, 10, 0.25).statistic is None


@pytest.mark.parametrize(
    ("method", "key"),
    [("bonferroni", "bonferroni"), ("hochberg", "hochberg"), ("hommel", "hommel"), ("benjamini-yekutieli", "BY")],
)
def test_p_adjust_methods_match_r(method: Any, key: str) -> None:
    ref = REFS["p_adjust"]
    adjusted = adjust_p_values([*ref["p"], None], method=method)
    assert adjusted[:-1] == pytest.approx(ref[key], rel=RTOL)
    assert adjusted[-1] is None
