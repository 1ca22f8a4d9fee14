"""Shared helpers: the real analysis/ folder and a minimal valid municipality file to mutate."""

from __future__ import annotations

from pathlib import Path

import pytest

ANALYSIS = Path(__file__).resolve().parents[2] / "analysis"

MINIMAL = """\
code = "testa"
names = { lv = "Testa novads", en = "Test Municipality" }
schools = [
  { code = "alpha", name = "Alfa pamatskola", teachers = 20 },
  { code = "beta", name = "Beta vidusskola" },
]

[plan]
title = { lv = "Plāns", en = "Plan" }
period_start = 2024
period_end = 2028
baseline_year = 2023
evaluation_years = [2026, 2028]

[[indicators]]
code = "T1"
names = { lv = "Vecāku apmierinātība", en = "Parent satisfaction" }
direction = "rise"
baseline = { value = 0.60, year = 2023 }
targets = [{ year = 2026, kind = "at_least", value = 0.70 }]
source = { kind = "survey", plan_text = "Aptauja" }
survey = { instrument = "parent-satisfaction", rule = "high_satisfaction" }

[[indicators]]
code = "T2"
names = { lv = "Pārtraukušie", en = "Early leavers" }
direction = "fall"
baseline = { value = 0.04, year = 2023 }
targets = [{ year = 2028, kind = "below", value = 0.01 }]
source = { kind = "administrative", plan_text = "VIIS" }
"""


@pytest.fixture
def analysis_root() -> Path:
    return ANALYSIS


@pytest.fixture
def minimal() -> str:
    return MINIMAL
