"""Target verdicts: interval rule, one-sided p-values, edge cases."""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

from pmp_surveys.analysis.proportions import proportion_ci
from pmp_surveys.analysis.results import Estimate
from pmp_surveys.analysis.verdicts import Target, target_verdict

AT_LEAST_70 = Target(value=0.70, kind="at_least")  # Rīga indicator 1, 2026


def _manual(estimate: float, low: float, high: float, *, se: float = 0.02, method: str = "logit") -> Estimate:
    return Estimate(
        estimate=estimate,
        std_error=se,
        ci_low=low,
        ci_high=high,
        confidence_level=0.95,
        n=400,
        method=method,
    )


def test_rising_indicator_three_outcomes() -> None:
    achieved = target_verdict(proportion_ci(180, 200), AT_LEAST_70, direction="rise")
    missed = target_verdict(proportion_ci(120, 200), AT_LEAST_70, direction="rise")
    unclear = target_verdict(proportion_ci(140, 200), AT_LEAST_70, direction="rise")
    assert achieved.verdict == "achieved"
    assert achieved.point_meets_target is True
    assert missed.verdict == "not_achieved"
    assert missed.point_meets_target is False
    assert unclear.verdict == "not_yet_distinguishable"
    assert achieved.test_method == "binomial-score"
    assert (achieved.p_value or 1) < 0.025 < (missed.p_value or 0)
    assert (missed.p_value_not_met or 1) < 0.025


def test_falling_indicator_and_strict_bound() -> None:
    # Rīga indicator 8, secondary early leavers: 2026 target 3.5% (at most)
    target = Target(value=0.035, kind="at_most")
    assert target_verdict(proportion_ci(5, 1000), target, direction="fall").verdict == "achieved"
    assert target_verdict(proportion_ci(80, 1000), target, direction="fall").verdict == "not_achieved"
    assert target_verdict(proportion_ci(33, 1000), target, direction="fall").verdict == "not_yet_distinguishable"
    # basic level "< 1%": no leavers among 500 → Wilson upper 0.0076 < 0.01
    below = Target(value=0.01, kind="below")
    v = target_verdict(proportion_ci(0, 500), below, direction="fall")
    assert v.verdict == "achieved"
    assert v.p_value is not None
    assert v.p_value < 0.025


def test_boundary_strictness() -> None:
    on_bound_high = _manual(0.005, 0.001, 0.01)
    assert target_verdict(on_bound_high, Target(value=0.01, kind="at_most"), direction="fall").verdict == "achieved"
    assert (
        target_verdict(on_bound_high, Target(value=0.01, kind="below"), direction="fall").verdict
        == "not_yet_distinguishable"
    )
    on_bound_low = _manual(0.75, 0.70, 0.80)
    assert target_verdict(on_bound_low, AT_LEAST_70, direction="rise").verdict == "achieved"
    above = Target(value=0.70, kind="above")
    assert target_verdict(on_bound_low, above, direction="rise").verdict == "not_yet_distinguishable"
    entirely_at_bound = _manual(0.70, 0.65, 0.70)
    assert target_verdict(entirely_at_bound, above, direction="rise").verdict == "not_achieved"
    at_least_low = _manual(0.02, 0.01, 0.03)
    assert target_verdict(at_least_low, Target(value=0.01, kind="below"), direction="fall").verdict == "not_achieved"


def test_wilson_verdict_agrees_with_binomial_score_test() -> None:
    # The Wilson interval inverts the score test with variance at the bound, so
    # "achieved" ⟺ one-sided p < 0.025 and "not_achieved" ⟺ p_not_met < 0.025.
    n = 200
    for x in range(n + 1):
        v = target_verdict(proportion_ci(x, n), AT_LEAST_70, direction="rise")
        assert v.p_value is not None
        assert v.p_value_not_met is not None
        if abs(v.p_value - 0.025) > 1e-9 and abs(v.p_value_not_met - 0.025) > 1e-9:
            assert (v.verdict == "achieved") == (v.p_value < 0.025)
            assert (v.verdict == "not_achieved") == (v.p_value_not_met < 0.025)


def test_binomial_score_p_value_by_formula() -> None:
    v = target_verdict(proportion_ci(150, 200), AT_LEAST_70, direction="rise")
    z = (0.75 - 0.70) / math.sqrt(0.7 * 0.3 / 200)
    assert v.p_value == pytest.approx(norm.sf(z), rel=1e-12)
    assert v.p_value_not_met == pytest.approx(norm.cdf(z), rel=1e-12)


def test_design_estimate_uses_its_standard_error() -> None:
    est = _manual(0.74, 0.70, 0.78, se=0.02)
    v = target_verdict(est, AT_LEAST_70, direction="rise")
    assert v.test_method == "design-z"
    assert v.p_value == pytest.approx(norm.sf((0.74 - 0.70) / 0.02), rel=1e-12)
    falling = target_verdict(est, Target(value=0.8, kind="at_most"), direction="fall")
    assert falling.p_value == pytest.approx(norm.cdf((0.74 - 0.80) / 0.02), rel=1e-12)
    forced = target_verdict(est, AT_LEAST_70, direction="rise", test="binomial-score")
    assert forced.test_method == "binomial-score"


def test_no_standard_error_gives_no_p_value() -> None:
    est = _manual(0.0, 0.0, 0.003, se=0.0)
    v = target_verdict(est, Target(value=0.01, kind="below"), direction="fall")
    assert v.verdict == "achieved"
    assert v.p_value is None
    assert v.p_value_not_met is None


def test_suppressed_and_no_data() -> None:
    suppressed = Estimate(
        estimate=None,
        std_error=None,
        ci_low=None,
        ci_high=None,
        confidence_level=0.95,
        n=3,
        method="wilson",
        suppressed=True,
    )
    v = target_verdict(suppressed, AT_LEAST_70, direction="rise")
    assert v.verdict == "suppressed"
    assert v.estimate is None
    assert v.p_value is None
    assert target_verdict(None, AT_LEAST_70, direction="rise").verdict == "no_data"
    empty = Estimate(
        estimate=None, std_error=None, ci_low=None, ci_high=None, confidence_level=0.95, n=0, method="logit"
    )
    assert target_verdict(empty, AT_LEAST_70, direction="rise").verdict == "no_data"


def test_direction_must_match_target_kind() -> None:
    with pytest.raises(ValueError, match="rise"):
        target_verdict(proportion_ci(3, 10), Target(value=0.01, kind="below"), direction="rise")
    with pytest.raises(ValueError, match="fall"):
        target_verdict(proportion_ci(3, 10), AT_LEAST_70, direction="fall")
    with pytest.raises(ValueError, match="direction"):
        target_verdict(proportion_ci(3, 10), AT_LEAST_70, direction="up")  # type: ignore[arg-type]


def test_target_validation_and_serialisation() -> None:
    with pytest.raises(ValueError, match="proportion"):
        Target(value=70.0, kind="at_least")
    with pytest.raises(ValueError, match="kind"):
        Target(value=0.7, kind="exactly")  # type: ignore[arg-type]
    v = target_verdict(proportion_ci(180, 200), AT_LEAST_70, direction="rise")
    d = v.to_dict()
    assert d["target"] == {"value": 0.7, "kind": "at_least"}
    assert d["verdict"] == "achieved"
