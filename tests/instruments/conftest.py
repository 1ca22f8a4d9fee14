"""Shared fixtures: a small instrument exercising every question kind and rule kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmp_surveys.instruments.definition import Instrument
from pmp_surveys.instruments.loader import decode_instrument

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"


def t(text: str) -> str:
    """An inline TOML label with the same text in every language (tests only)."""
    return f'{{ lv = "{text} lv", ru = "{text} ru", uk = "{text} uk", en = "{text} en" }}'


HEAD = f"""
key = "demo"
version = 1
title = {t("Demo")}
"""

YES_NO = f"""options = [
  {{ value = "yes", code = 1, label = {t("Yes")} }},
  {{ value = "no", code = 0, label = {t("No")} }},
]"""

DEMO = (
    HEAD
    + f"""
[[questions]]
kind = "single"
id = "has_kids"
label = {t("Kids?")}
{YES_NO}

[[questions]]
kind = "multiple"
id = "services"
label = {t("Services")}
show_if = {{ question = "has_kids", in = ["yes"] }}
options = [
  {{ value = "school", code = 1, label = {t("School")} }},
  {{ value = "youth", code = 2, label = {t("Youth")} }},
  {{ value = "other", code = 9, label = {t("Other")} }},
]

[[questions]]
kind = "likert"
id = "rating"
points = 5
dont_know = true
label = {t("Rating")}
anchors = [{{ point = 1, label = {t("Bad")} }}, {{ point = 5, label = {t("Good")} }}]

[[questions]]
kind = "likert"
id = "item_a"
points = 5
label = {t("A")}
anchors = [{{ point = 1, label = {t("Low")} }}, {{ point = 5, label = {t("High")} }}]

[[questions]]
kind = "likert"
id = "item_b"
points = 5
reverse = true
required = false
label = {t("B")}
anchors = [{{ point = 1, label = {t("Low")} }}, {{ point = 5, label = {t("High")} }}]

[[questions]]
kind = "number"
id = "children"
min = 0
max = 12
integer = true
required = false
label = {t("How many")}

[[questions]]
kind = "number"
id = "hours"
min = 0.5
required = false
label = {t("Hours")}

[[questions]]
kind = "text"
id = "comment"
max_length = 10
required = false
label = {t("Comment")}

[[scoring]]
kind = "share"
id = "high_rating"
label = {t("High")}
question = "rating"
success = [4, 5]
exclude = ["dont_know"]

[[scoring]]
kind = "share"
id = "knows_youth"
label = {t("Youth")}
question = "services"
success = ["youth"]

[[scoring]]
kind = "scale"
id = "ab"
label = {t("AB")}
items = ["item_a", "item_b"]
min_valid = 1

[[scoring]]
kind = "threshold"
id = "ab_high"
label = {t("AB high")}
scale = "ab"
operator = ">="
cutoff = 4
basis = "convention"
"""
)


@pytest.fixture(scope="session")
def demo() -> Instrument:
    return decode_instrument(DEMO, "demo.toml")
