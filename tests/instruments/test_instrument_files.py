from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pmp_surveys.instruments.definition import (
    LANGUAGES,
    LikertQuestion,
    ScaleRule,
    ShareRule,
    ThresholdRule,
)
from pmp_surveys.instruments.loader import load_instrument_dir, load_instrument_file

from .conftest import SURVEYS


@pytest.fixture(scope="module")
def loaded() -> dict[str, object]:
    return {item.key: item for item in load_instrument_dir(SURVEYS)}


def test_three_instruments_load(loaded: dict[str, object]) -> None:
    assert set(loaded) == {"parent-satisfaction", "resident-perception", "teacher-self-efficacy"}


def test_rule_ids_are_the_agreed_ones() -> None:
    ids = {item.key: {r.id for r in item.instrument.scoring} for item in load_instrument_dir(SURVEYS)}
    assert "high_satisfaction" in ids["parent-satisfaction"]
    assert "high_availability_rating" in ids["resident-perception"]
    assert {
        "tses_total",
        "tses_engagement",
        "tses_instruction",
        "tses_management",
        "high_self_efficacy",
        "feels_supported_leadership",
        "feels_supported_colleagues",
        "identification_practice",
        "attended_supervision",
    } <= ids["teacher-self-efficacy"]


def test_parent_high_satisfaction_is_top_two_boxes() -> None:
    inst = load_instrument_file(SURVEYS / "parent-satisfaction.toml").instrument
    rule = inst.rule("high_satisfaction")
    assert isinstance(rule, ShareRule)
    q = inst.question(rule.question)
    assert isinstance(q, LikertQuestion) and q.points == 5
    assert sorted(rule.success) == [4, 5]


def test_resident_rule_excludes_dont_know() -> None:
    inst = load_instrument_file(SURVEYS / "resident-perception.toml").instrument
    rule = inst.rule("high_availability_rating")
    assert isinstance(rule, ShareRule)
    assert rule.exclude == ["dont_know"]
    q = inst.question(rule.question)
    assert isinstance(q, LikertQuestion) and q.dont_know and q.points == 5


def test_tses_items_and_subscales() -> None:
    inst = load_instrument_file(SURVEYS / "teacher-self-efficacy.toml").instrument
    items = [f"tses_{i:02d}" for i in range(1, 13)]
    for item in items:
        q = inst.question(item)
        assert isinstance(q, LikertQuestion)
        assert q.points == 9 and not q.reverse
        assert q.anchors is not None and [a.point for a in q.anchors] == [1, 3, 5, 7, 9]
    expected = {
        "tses_total": (items, 10),
        "tses_engagement": (["tses_02", "tses_04", "tses_07", "tses_11"], 3),
        "tses_instruction": (["tses_05", "tses_09", "tses_10", "tses_12"], 3),
        "tses_management": (["tses_01", "tses_03", "tses_06", "tses_08"], 3),
    }
    for rule_id, (rule_items, min_valid) in expected.items():
        rule = inst.rule(rule_id)
        assert isinstance(rule, ScaleRule)
        assert rule.items == rule_items and rule.min_valid == min_valid
    high = inst.rule("high_self_efficacy")
    assert isinstance(high, ThresholdRule)
    assert (high.scale, high.operator, high.cutoff, high.basis) == ("tses_total", ">=", 7, "convention")
    assert high.description and "convention" in high.description.lower()


def test_every_label_is_translated() -> None:
    for item in load_instrument_dir(SURVEYS):
        for q in item.instrument.questions:
            for lang in LANGUAGES:
                assert q.label.get(lang).strip()


def test_hash_ignores_formatting_and_comments(tmp_path: Path) -> None:
    src = SURVEYS / "parent-satisfaction.toml"
    original = load_instrument_file(src)
    text = src.read_text(encoding="utf-8")
    reformatted = "# a new comment\n\n" + text.replace("\n[[questions]]", "\n\n\n# hi\n[[questions]]")
    reformatted = reformatted.replace("version = 1", "version    =    1   # same")
    copy = tmp_path / "p.toml"
    copy.write_text(reformatted, encoding="utf-8")
    again = load_instrument_file(copy)
    assert again.content_hash == original.content_hash
    assert again.canonical_json == original.canonical_json
    assert len(original.content_hash) == 64


def test_hash_changes_with_a_label(tmp_path: Path) -> None:
    src = SURVEYS / "parent-satisfaction.toml"
    original = load_instrument_file(src)
    copy = tmp_path / "p.toml"
    text = src.read_text(encoding="utf-8")
    assert 'en = "Fathers\' group"' in text
    copy.write_text(text.replace('en = "Fathers\' group"', 'en = "Fathers\' groups"'), encoding="utf-8")
    assert load_instrument_file(copy).content_hash != original.content_hash


def test_hash_ignores_key_order_and_explicit_defaults(tmp_path: Path) -> None:
    a = tmp_path / "a.toml"
    b = tmp_path / "b.toml"
    label = '{ lv = "a", ru = "b", uk = "c", en = "d" }'
    opts = f'[{{ value = "x", code = 1, label = {label} }}, {{ value = "y", code = 2, label = {label} }}]'
    a.write_text(
        f'key = "k"\nversion = 1\ntitle = {label}\n[[questions]]\nkind = "single"\nid = "q"\n'
        f"label = {label}\noptions = {opts}\n",
        encoding="utf-8",
    )
    b.write_text(
        f'title = {label}\nversion = 1\nkey = "k"\n[[questions]]\noptions = {opts}\nrequired = true\n'
        f'label = {label}\nid = "q"\nkind = "single"\n',
        encoding="utf-8",
    )
    assert load_instrument_file(a).content_hash == load_instrument_file(b).content_hash


def test_directory_with_copy_reports_duplicate_key(tmp_path: Path) -> None:
    shutil.copy(SURVEYS / "resident-perception.toml", tmp_path / "a.toml")
    shutil.copy(SURVEYS / "resident-perception.toml", tmp_path / "b.toml")
    from pmp_surveys.instruments.errors import InstrumentDefinitionError

    with pytest.raises(InstrumentDefinitionError) as info:
        load_instrument_dir(tmp_path)
    assert info.value.codes == ["PMP160"]
    assert "a.toml" in info.value.problems[0].message
