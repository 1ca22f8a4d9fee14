"""Scoring rules on coded frames: share (excluded and blank answers), multiple choice, scale, threshold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl
import pytest

from pmp_surveys.indicators.scoring import score_rule
from pmp_surveys.instruments.coding import DONT_KNOW_CODE, build_layout
from pmp_surveys.instruments.loader import decode_instrument, load_instrument_file
from pmp_surveys.settings import project_root

SURVEYS = project_root() / "surveys"


def frame_for(instrument_file: str, rows: Sequence[Mapping[str, int | None]]) -> tuple[pl.DataFrame, object]:
    instrument = load_instrument_file(SURVEYS / instrument_file).instrument
    layout = build_layout(instrument)
    columns = {v.name: [row.get(v.name) for row in rows] for v in layout.codes}
    frame = pl.DataFrame(
        {"campaign_id": [1] * len(rows), "school_id": [None] * len(rows), **columns},
        schema={"campaign_id": pl.Int32, "school_id": pl.Int32, **{v.name: pl.Int16 for v in layout.codes}},
    )
    return frame, instrument


def test_share_sets_aside_dont_know_and_blank() -> None:
    rows = [{"availability_rating": c} for c in (5, 4, 3, 1, DONT_KNOW_CODE, DONT_KNOW_CODE, None)]
    frame, instrument = frame_for("resident-perception.toml", rows)
    scored = score_rule(frame, instrument, "high_availability_rating")  # type: ignore[arg-type]
    assert scored.get_column("y").to_list() == [1.0, 1.0, 0.0, 0.0, None, None, None]
    assert scored.get_column("set_aside").to_list() == [None, None, None, None, "excluded", "excluded", "blank"]


def test_share_without_exclusions_counts_every_answer() -> None:
    frame, instrument = frame_for("parent-satisfaction.toml", [{"overall_satisfaction": c} for c in (5, 2, None)])
    scored = score_rule(frame, instrument, "high_satisfaction")  # type: ignore[arg-type]
    assert scored.get_column("y").to_list() == [1.0, 0.0, None]
    assert scored.get_column("set_aside").to_list() == [None, None, "blank"]


def test_threshold_on_scale_with_min_valid() -> None:
    items = [f"tses_{i:02d}" for i in range(1, 13)]
    high = dict.fromkeys(items, 8)
    low = dict.fromkeys(items, 5)
    exactly_seven: dict[str, int | None] = {**dict.fromkeys(items[:10], 7), items[10]: None, items[11]: None}
    too_few: dict[str, int | None] = {**dict.fromkeys(items[:9], 9), **dict.fromkeys(items[9:], None)}
    dont_know_not_valid: dict[str, int | None] = {**dict.fromkeys(items, 9), items[0]: DONT_KNOW_CODE}
    frame, instrument = frame_for(
        "teacher-self-efficacy.toml", [high, low, exactly_seven, too_few, dont_know_not_valid]
    )
    scored = score_rule(frame, instrument, "high_self_efficacy")  # type: ignore[arg-type]
    assert scored.get_column("y").to_list() == [1.0, 0.0, 1.0, None, 1.0]
    assert scored.get_column("set_aside").to_list() == [None, None, None, "blank", None]
    scale = score_rule(frame, instrument, "tses_total")  # type: ignore[arg-type]
    assert scale.get_column("score").to_list() == [8.0, 5.0, 7.0, None, 9.0]


def _text(value: str) -> str:
    return f'{{ lv = "{value}", ru = "{value}", uk = "{value}", en = "{value}" }}'


def _likert(qid: str, reverse: bool) -> str:
    anchors = f"[{{ point = 1, label = {_text('1')} }}, {{ point = 5, label = {_text('5')} }}]"
    flag = "reverse = true\n" if reverse else ""
    head = f'[[questions]]\nkind = "likert"\nid = "{qid}"\npoints = 5\n'
    return f"{head}label = {_text(qid)}\nanchors = {anchors}\n{flag}"


INLINE = f"""
key = "inline-test"
version = 1
title = {_text("T")}

{_likert("a", False)}
{_likert("b", True)}
[[questions]]
kind = "multiple"
id = "m"
label = {_text("M")}
options = [
  {{ value = "x", code = 1, label = {_text("x")} }},
  {{ value = "y", code = 2, label = {_text("y")} }},
  {{ value = "z", code = 3, label = {_text("z")} }},
]

[[scoring]]
kind = "scale"
id = "ab"
label = {_text("S")}
items = ["a", "b"]
min_valid = 2

[[scoring]]
kind = "share"
id = "x_or_y"
label = {_text("S")}
question = "m"
success = ["x", "y"]
"""


@pytest.fixture
def inline() -> object:
    return decode_instrument(INLINE)


def test_scale_reverse_codes_items(inline: object) -> None:
    frame = pl.DataFrame(
        {"a": [5, 4, 2], "b": [1, 4, None], "m__x": [None] * 3, "m__y": [None] * 3, "m__z": [None] * 3},
        schema=dict.fromkeys(["a", "b", "m__x", "m__y", "m__z"], pl.Int16),
    )
    scored = score_rule(frame, inline, "ab")  # type: ignore[arg-type]
    # b is reversed: 6 - b. (5 + 5)/2 = 5, (4 + 2)/2 = 3, one valid item < min_valid 2.
    assert scored.get_column("score").to_list() == [5.0, 3.0, None]


def test_share_on_multiple_choice(inline: object) -> None:
    frame = pl.DataFrame(
        {"a": [1] * 4, "b": [1] * 4, "m__x": [1, 0, 0, None], "m__y": [0, 1, 0, None], "m__z": [0, 0, 1, None]},
        schema=dict.fromkeys(["a", "b", "m__x", "m__y", "m__z"], pl.Int16),
    )
    scored = score_rule(frame, inline, "x_or_y")  # type: ignore[arg-type]
    assert scored.get_column("y").to_list() == [1.0, 1.0, 0.0, None]
    assert scored.get_column("set_aside").to_list() == [None, None, None, "blank"]


def test_counts_of_respondents_in_notes_obey_the_threshold() -> None:
    from pmp_surveys.indicators.evaluate import _safe_note

    assert _safe_note("3 response(s) without a school form their own stratum", 5).startswith("fewer than 5 response")
    assert _safe_note("12 response(s) without a school", 5).startswith("12 response")
