from __future__ import annotations

import pytest

from pmp_surveys.instruments import languages
from pmp_surveys.instruments.coding import (
    DONT_KNOW_CODE,
    build_layout,
    scale_coding,
    scale_score,
    share_coding,
)
from pmp_surveys.instruments.definition import Instrument, ScaleRule, ShareRule
from pmp_surveys.instruments.loader import load_instrument_file
from pmp_surveys.instruments.localize import localize
from pmp_surveys.instruments.validation import AnswerValidator

from .conftest import SURVEYS


def test_share_coding_likert_with_exclusion(demo: Instrument) -> None:
    rule = demo.rule("high_rating")
    assert isinstance(rule, ShareRule)
    sc = share_coding(demo, build_layout(demo), rule)
    assert sc.indices == (4,)
    assert sc.success == {4, 5}
    assert sc.exclude == {DONT_KNOW_CODE}


def test_share_coding_multiple(demo: Instrument) -> None:
    rule = demo.rule("knows_youth")
    assert isinstance(rule, ShareRule)
    sc = share_coding(demo, build_layout(demo), rule)
    assert sc.indices == (2,) and sc.success == {1}


def test_share_coding_yes_no_real_file() -> None:
    inst = load_instrument_file(SURVEYS / "teacher-self-efficacy.toml").instrument
    rule = inst.rule("identification_practice")
    assert isinstance(rule, ShareRule)
    layout = build_layout(inst)
    sc = share_coding(inst, layout, rule)
    assert sc.indices == (layout.code_index("learned_identification"),) and sc.success == {1}


def test_scale_score_reverse_coding(demo: Instrument) -> None:
    rule = demo.rule("ab")
    assert isinstance(rule, ScaleRule)
    sc = scale_coding(demo, build_layout(demo), rule)
    v = AnswerValidator(demo)
    base = {"has_kids": "no", "rating": 4}
    both = v.validate({**base, "item_a": 5, "item_b": 2})  # item_b reversed: 6 - 2 = 4
    assert scale_score(sc, both.codes, both.numbers) == pytest.approx(4.5)
    one = v.validate({**base, "item_a": 2})
    assert scale_score(sc, one.codes, one.numbers) == 2.0


def test_scale_score_min_valid_on_tses() -> None:
    inst = load_instrument_file(SURVEYS / "teacher-self-efficacy.toml").instrument
    layout = build_layout(inst)
    rule = inst.rule("tses_total")
    assert isinstance(rule, ScaleRule)
    sc = scale_coding(inst, layout, rule)
    codes: list[int | None] = [None] * len(layout.codes)
    for i in range(9):
        codes[layout.code_index(f"tses_{i + 1:02d}")] = 8
    assert scale_score(sc, tuple(codes), ()) is None  # 9 of 12 < min_valid 10
    codes[layout.code_index("tses_10")] = 5
    assert scale_score(sc, tuple(codes), ()) == pytest.approx((9 * 8 + 5) / 10)


def test_localize_resolves_every_label(demo: Instrument) -> None:
    assert languages == ("lv", "ru", "uk", "en")
    for lang in languages:
        data = localize(demo, lang)
        assert data["language"] == lang
        assert data["title"] == f"Demo {lang}"
        rating = data["questions"][2]
        assert rating["label"] == f"Rating {lang}"
        assert rating["anchors"][0] == {"point": 1, "label": f"Bad {lang}"}
        assert isinstance(rating["dont_know_label"], str) and rating["dont_know_label"]
        assert data["questions"][1]["show_if"] == {"question": "has_kids", "in": ["yes"]}


def test_localize_real_files_leave_no_translation_tables() -> None:
    for path in SURVEYS.glob("*.toml"):
        inst = load_instrument_file(path).instrument
        data = localize(inst, "uk")

        def walk(node: object) -> None:
            if isinstance(node, dict):
                assert set(node) != {"lv", "ru", "uk", "en"}
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(data)


def test_localize_rejects_unknown_language(demo: Instrument) -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        localize(demo, "de")  # type: ignore[arg-type]
