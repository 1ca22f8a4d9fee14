"""Which baseline each indicator is compared with, and which waves an evaluation must read."""

from __future__ import annotations

import pytest

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.indicators.baseline import BaselineChoice, baseline_word, parse_baseline, resolve_baseline
from pmp_surveys.indicators.evaluate import needed_waves


@pytest.mark.parametrize(
    ("code", "choice", "has_data", "expected"),
    [
        # Bauska B1: "to be set in 2024" → the 2024 wave when it exists, else nothing.
        ("B1", None, {2024, 2026}, ("microdata", 2024, None)),
        ("B1", None, {2026}, ("none", None, None)),
        ("B1", "published", {2024}, ("none", None, None)),
        # Rīga R1: published 60% (2022), no microdata.
        ("R1", None, {2026}, ("published", 2022, 0.6)),
        ("R1", 2022, set(), ("published", 2022, 0.6)),
        ("R1", 2024, {2024}, ("microdata", 2024, None)),
        # A year without data falls back to the plan's baseline (with a note).
        ("R1", 2024, set(), ("published", 2022, 0.6)),
        ("B3", 2024, {2023}, ("figures", 2023, None)),
        ("BT1", 2025, {2024}, ("none", None, None)),
        # Administrative: figures of the baseline year when imported, else the published value.
        ("B3", None, {2023}, ("figures", 2023, None)),
        ("B3", None, set(), ("published", 2023, 0.67)),
        # Expected results have no baseline.
        ("BT1", None, {2024}, ("none", None, None)),
        ("BT1", 2024, {2024}, ("microdata", 2024, None)),
    ],
)
def test_resolve_baseline(
    catalogue: Catalogue,
    code: str,
    choice: BaselineChoice,
    has_data: set[int],
    expected: tuple[str, int | None, float | None],
) -> None:
    municipality = "riga" if code.startswith("R") else "bauska"
    resolved = resolve_baseline(catalogue.indicator(municipality, code), choice, has_data=has_data)
    assert (resolved.source, resolved.year, resolved.value) == expected
    if resolved.source == "none":
        assert resolved.note


def test_needed_waves(catalogue: Catalogue) -> None:
    bauska = catalogue.municipality("bauska")
    assert needed_waves(bauska, 2026, None) == {
        ("parent-satisfaction", 2026),
        ("parent-satisfaction", 2024),
        ("resident-perception", 2026),
        ("resident-perception", 2024),
        ("teacher-self-efficacy", 2026),
    }
    # A year also reads the plan's baseline waves: a year without data falls back to the rule.
    assert needed_waves(bauska, 2026, 2025) == {
        (key, year)
        for key in ("parent-satisfaction", "resident-perception", "teacher-self-efficacy")
        for year in (2025, 2026)
    } | {("parent-satisfaction", 2024), ("resident-perception", 2024)}
    # auto reads the most recent earlier wave with responses of each instrument (teachers: 2024).
    available = {"teacher-self-efficacy": [2022, 2024, 2026, 2028], "parent-satisfaction": [2026]}
    assert ("teacher-self-efficacy", 2024) in needed_waves(bauska, 2026, None, available)
    assert ("teacher-self-efficacy", 2022) not in needed_waves(bauska, 2026, None, available)
    assert needed_waves(bauska, 2026, "published", available) == {
        (key, 2026) for key in ("parent-satisfaction", "resident-perception", "teacher-self-efficacy")
    }


@pytest.mark.parametrize(
    ("code", "choice", "has_data", "expected"),
    [
        # auto: the most recent earlier wave with microdata, whatever the plan says …
        ("BT1", None, {2022, 2024, 2026}, ("microdata", 2024, None)),
        ("R1", None, {2024, 2026}, ("microdata", 2024, None)),
        ("B3", None, {2023, 2025, 2026}, ("figures", 2025, None)),
        # … else the plan's baseline (published value, or nothing) — never the evaluated wave itself.
        ("R1", None, {2026}, ("published", 2022, 0.6)),
        ("B1", None, {2026}, ("none", None, None)),
        ("BT1", None, {2026, 2028}, ("none", None, None)),
        # plan: as the plan sets it, even with a later wave at hand.
        ("R1", "plan", {2024, 2026}, ("published", 2022, 0.6)),
        ("B1", "plan", {2024, 2025, 2026}, ("microdata", 2024, None)),
    ],
)
def test_auto_rule(
    catalogue: Catalogue,
    code: str,
    choice: BaselineChoice,
    has_data: set[int],
    expected: tuple[str, int | None, float | None],
) -> None:
    municipality = "riga" if code.startswith("R") else "bauska"
    resolved = resolve_baseline(catalogue.indicator(municipality, code), choice, has_data=has_data, wave=2026)
    assert (resolved.source, resolved.year, resolved.value) == expected


@pytest.mark.parametrize(
    ("raw", "choice"),
    [(None, None), ("", None), ("auto", None), ("plan", "plan"), ("published", "published"), ("2024", 2024)],
)
def test_one_vocabulary(raw: str | None, choice: BaselineChoice) -> None:
    assert parse_baseline(raw) == choice
    assert baseline_word(choice) == (raw or "auto")


@pytest.mark.parametrize("raw", ["last year", "1800", "Plan", "-2024"])
def test_one_vocabulary_refuses(raw: str) -> None:
    with pytest.raises(ValueError, match="'auto', 'plan' or 'published'"):
        parse_baseline(raw)
