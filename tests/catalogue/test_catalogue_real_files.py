"""The committed municipality files load, and carry the plans' figures (section named per test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmp_surveys.catalogue import Catalogue, load_catalogue


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(Path(__file__).resolve().parents[2] / "analysis")


def test_both_municipalities_load(catalogue: Catalogue) -> None:
    assert sorted(catalogue.municipalities) == ["bauska", "riga"]


def test_riga_codes(catalogue: Catalogue) -> None:
    codes = [i.code for i in catalogue.indicators_for("riga")]
    assert codes == [
        "R1", "R2", "R3", "R4", "R5", "R6a", "R6b", "R7", "R8a", "R8b", "R8c", "R9",
        "RT1", "RT2", "RT3", "RT4",
    ]  # fmt: skip


def test_bauska_codes(catalogue: Catalogue) -> None:
    codes = [i.code for i in catalogue.indicators_for("bauska")]
    assert codes == [
        "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8a", "B8b", "B9",
        "BT1", "BT2", "BT3", "BT4", "BT5",
    ]  # fmt: skip


def test_riga_plan(catalogue: Catalogue) -> None:
    plan = catalogue.municipality("riga").plan
    assert (plan.period_start, plan.period_end, plan.baseline_year, plan.mid_term_year) == (
        2024,
        2028,
        2022,
        2026,
    )


def test_riga_r1_table_4_2(catalogue: Catalogue) -> None:
    # Rīga table 4.2 row 1: 60% (2022) → 70% (2026) → 80% (2028), "Aptauja".
    r1 = catalogue.indicator("riga", "R1")
    assert r1.baseline is not None
    assert (r1.baseline.value, r1.baseline.year, r1.baseline.microdata) == (0.60, 2022, False)
    assert [(t.year, t.kind, t.value) for t in r1.targets] == [
        (2026, "at_least", 0.70),
        (2028, "at_least", 0.80),
    ]
    assert r1.survey is not None
    assert (r1.survey.instrument, r1.survey.rule, r1.survey.design) == (
        "parent-satisfaction",
        "high_satisfaction",
        "simple",
    )
    assert r1.tier == "universal"


def test_riga_r8_split_table_4_2(catalogue: Catalogue) -> None:
    # Rīga table 4.2 row 8: psk. 1% → "< 1%"; vsk. 4% → 3,5% → 2,5%; tālm./neklātiene 67% → 65% → 50%.
    r8a, r8b, r8c = (catalogue.indicator("riga", c) for c in ("R8a", "R8b", "R8c"))
    assert r8a.direction == "fall"
    assert [(t.kind, t.value) for t in r8a.targets] == [("below", 0.01), ("below", 0.01)]
    assert [t.value for t in r8b.targets] == [0.035, 0.025]
    assert r8c.baseline is not None
    assert r8c.baseline.value == 0.67
    assert [t.value for t in r8c.targets] == [0.65, 0.50]
    assert r8a.source.plan_text == "VIIS"


def test_riga_r2_weighted_and_r6_split(catalogue: Catalogue) -> None:
    riga = catalogue.municipality("riga")
    r2 = riga.indicator("R2")
    assert r2.survey is not None
    assert r2.survey.design == "weighted"
    assert riga.effective_design(r2) == "simple"  # no margins given in the plan
    assert riga.indicator("R6a").baseline.value == 0.07  # type: ignore[union-attr]
    assert riga.indicator("R6b").baseline.value == 0.09  # type: ignore[union-attr]
    assert riga.schools == []


def test_bauska_survey_baselines_set_in_2024_section_3_1(catalogue: Catalogue) -> None:
    # Bauska 3.1 rows 1–2: "Tiks noteikta 2024.g." → 70% (2025) → 80% (2028).
    for code in ("B1", "B2"):
        ind = catalogue.indicator("bauska", code)
        assert ind.baseline is not None
        assert ind.baseline.value is None
        assert ind.baseline.to_be_set == 2024
        assert [(t.year, t.value) for t in ind.targets] == [(2025, 0.70), (2028, 0.80)]


def test_bauska_b8_b9_section_3_1(catalogue: Catalogue) -> None:
    # Bauska 3.1 rows 8–9: pamatskolā 0,07% → <0,05%; vidusskolā 0,02% → <0,02%; row 9: 3% → <0,05%.
    b8a, b8b, b9 = (catalogue.indicator("bauska", c) for c in ("B8a", "B8b", "B9"))
    assert b8a.baseline is not None
    assert b8a.baseline.value == pytest.approx(0.0007)
    assert {(t.kind, t.value) for t in b8a.targets} == {("below", 0.0005)}
    assert {(t.kind, t.value) for t in b8b.targets} == {("below", 0.0002)}
    assert b9.baseline is not None
    assert b9.baseline.value == 0.03
    assert {t.value for t in b9.targets} == {0.0005}
    assert b9.source.kind == "administrative"
    assert b9.source.plan_text == "aptauja"
    assert b9.note is not None
    assert "typo" in b9.note


def test_bauska_teacher_results(catalogue: Catalogue) -> None:
    # Bauska 3.2 activity 5: "Supervīzijās piedalījušies 50% pedagogu."
    bt5 = catalogue.indicator("bauska", "BT5")
    assert bt5.kind == "expected_result"
    assert bt5.survey is not None
    assert bt5.survey.rule == "attended_supervision"
    assert [(t.kind, t.value) for t in bt5.targets] == [("at_least", 0.50)]
    assert catalogue.indicator("bauska", "BT4").baseline is None


def test_bauska_schools_enrolment_table(catalogue: Catalogue) -> None:
    # Bauska table "Izglītojamo skaits ... uz 01.09.2023.":
    # Bauskas Valsts ģimnāzija 0 93 84 72 68 63 73 63 49 58.
    bauska = catalogue.municipality("bauska")
    bvg = bauska.school("bauskas-valsts-gimnazija")
    assert bvg.name == "Bauskas Valsts ģimnāzija"
    assert bvg.students == 623
    assert bvg.teachers is None
    assert bauska.school("pii-pasaulite").students == 133
    assert bauska.school("iecavas-vidusskola").enrolment.by_grade["8"] == 100  # type: ignore[union-attr]
    assert len(bauska.schools) == 24
    assert bauska.plan.evaluation_years == [2025, 2028]


def test_target_for_exact_then_latest_due_then_next(catalogue: Catalogue) -> None:
    assert catalogue.target_for("riga", "R1", 2026).value == 0.70  # type: ignore[union-attr]
    assert catalogue.target_for("riga", "R1", 2027).year == 2026  # type: ignore[union-attr]  # latest due
    assert catalogue.target_for("riga", "R1", 2020).year == 2026  # type: ignore[union-attr]  # next, none due
    assert catalogue.target_for("riga", "R1", 2029).year == 2028  # type: ignore[union-attr]
    # Bauska's plan sets 2025 and 2028: the 2026 mid-term value is judged against the 2025 target.
    assert catalogue.target_for("bauska", "B1", 2026).year == 2025  # type: ignore[union-attr]
    assert catalogue.target_for("riga", "RT1", 2026) is None


def test_lookup_errors_name_known_codes(catalogue: Catalogue) -> None:
    with pytest.raises(KeyError, match="bauska, riga"):
        catalogue.municipality("jelgava")
    with pytest.raises(KeyError, match="R1"):
        catalogue.municipality("riga").indicator("X9")
    with pytest.raises(KeyError):
        catalogue.municipality("bauska").school("nowhere")


def test_target_is_met_by() -> None:
    from pmp_surveys.catalogue import Target

    assert Target(year=2026, kind="below", value=0.01).is_met_by(0.009)
    assert not Target(year=2026, kind="below", value=0.01).is_met_by(0.01)
    assert Target(year=2026, kind="at_most", value=0.01).is_met_by(0.01)
    assert Target(year=2026, kind="at_least", value=0.7).is_met_by(0.7)
    assert not Target(year=2026, kind="above", value=0.7).is_met_by(0.7)
