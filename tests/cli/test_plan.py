"""`pmp-surveys plan` against independently computed sample sizes."""

from __future__ import annotations

import pytest

from pmp_surveys.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["plan", *args]) == 0
    return capsys.readouterr().out


def test_two_waves(capsys: pytest.CaptureFixture[str]) -> None:
    # R: power.prop.test(p1 = 0.6, p2 = 0.7, power = 0.8) → n = 355.4 per group.
    assert run(capsys, "--baseline", "0.6", "--expected", "0.7").startswith("356 responses in each wave")


def test_against_a_published_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    # n = ((z.95·√(.6·.4) + z.80·√(.7·.3)) / .1)² = 141.99 (one-sided α = .05, power .8).
    assert run(capsys, "--baseline", "0.6", "--expected", "0.7", "--published", "--one-sided").startswith("142 ")


def test_design_effect_from_icc_scales_the_half_width_size(capsys: pytest.CaptureFixture[str]) -> None:
    simple = int(run(capsys, "--half-width", "0.05", "--p", "0.7").split()[0])
    clustered = int(
        run(capsys, "--half-width", "0.05", "--p", "0.7", "--icc", "0.05", "--cluster-size", "20").split()[0]
    )
    # deff = 1 + (20 − 1)·0.05 = 1.95 (Kish 1965)
    assert clustered == pytest.approx(simple * 1.95, abs=2)


def test_missing_inputs_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--baseline", "0.6"]) == 2
    assert main(["plan", "--half-width", "2"]) == 2
