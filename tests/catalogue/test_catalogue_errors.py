"""Every catalogue error code, each from an inline TOML file written to tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmp_surveys.catalogue import CatalogueError, Problem, load_catalogue


def write(root: Path, text: str, name: str = "testa.toml") -> None:
    folder = root / "municipalities"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)


def problems(root: Path) -> list[Problem]:
    with pytest.raises(CatalogueError) as info:
        load_catalogue(root)
    return list(info.value.problems)


def only(root: Path, code: str) -> Problem:
    found = problems(root)
    assert [p.code for p in found] == [code], [str(p) for p in found]
    return found[0]


def test_minimal_file_is_valid(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal)
    catalogue = load_catalogue(tmp_path)
    assert catalogue.municipality("testa").indicator("T2").direction == "fall"


def test_third_municipality_is_a_new_file(tmp_path: Path, analysis_root: Path, minimal: str) -> None:
    for path in (analysis_root / "municipalities").glob("*.toml"):
        write(tmp_path, path.read_text("utf-8"), path.name)
    write(tmp_path, minimal.replace('"testa"', '"jelgava"'), "jelgava.toml")
    catalogue = load_catalogue(tmp_path)
    assert sorted(catalogue.municipalities) == ["bauska", "jelgava", "riga"]
    assert [i.code for i in catalogue.indicators_for("jelgava")] == ["T1", "T2"]
    assert catalogue.municipality("jelgava").school("alpha").teachers == 20


def test_cat100_missing_folder_and_not_utf8(tmp_path: Path) -> None:
    assert only(tmp_path, "CAT100").message.startswith("the municipalities folder")
    (tmp_path / "municipalities").mkdir()
    (tmp_path / "municipalities" / "x.toml").write_bytes(b'code = "\xff"\n')
    assert only(tmp_path, "CAT100").file == "x.toml"


def test_cat101_toml_syntax_with_line(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal.replace("period_end = 2028", "period_end = = 2028"))
    p = only(tmp_path, "CAT101")
    assert p.line == 11
    assert "testa.toml:11" in str(p)


def test_cat102_unknown_fields_all_reported(tmp_path: Path, minimal: str) -> None:
    text = minimal.replace('direction = "rise"', 'direction = "rise"\ncolour = "red"')
    text = text.replace('direction = "fall"', 'direction = "fall"\nsize = 3')
    text = text.replace("evaluation_years", "mid_term = 2026\nevaluation_years")
    write(tmp_path, text)
    found = problems(tmp_path)
    assert {(p.code, p.path) for p in found} == {
        ("CAT102", "indicators[0].colour"),
        ("CAT102", "indicators[1].size"),
        ("CAT102", "plan.mid_term"),
    }


def test_cat102_nested_path(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal.replace('kind = "below", value = 0.01', 'kind = "below", value = 0.01, valeu = 1'))
    assert only(tmp_path, "CAT102").path == "indicators[1].targets[0].valeu"


def test_cat103_wrong_type_and_enum(tmp_path: Path, minimal: str) -> None:
    text = minimal.replace("value = 0.70", 'value = "70%"').replace('direction = "fall"', 'direction = "down"')
    write(tmp_path, text)
    found = problems(tmp_path)
    assert {(p.code, p.path) for p in found} == {
        ("CAT103", "indicators[0].targets[0].value"),
        ("CAT103", "indicators[1].direction"),
    }


def test_cat103_negative_teacher_count(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal.replace("teachers = 20", "teachers = -1"))
    assert only(tmp_path, "CAT103").path == "schools[0].teachers"


def test_cat104_missing_field(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal.replace('direction = "fall"\n', ""))
    assert only(tmp_path, "CAT104").path == "indicators[1].direction"


def test_cat105_file_name(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal, "other.toml")
    assert only(tmp_path, "CAT105").path == "code"


def test_cat110_duplicate_across_files(tmp_path: Path, minimal: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # CAT105 (file name = code) normally prevents a clash; switch it off to reach the clash rule itself.
    from pmp_surveys.catalogue import loader

    original = loader.parse_municipality
    monkeypatch.setattr(
        loader, "parse_municipality", lambda data, **kw: original(data, **{**kw, "expected_code": None})
    )
    write(tmp_path, minimal)
    write(tmp_path, minimal, "zz.toml")
    p = only(tmp_path, "CAT110")
    assert p.file == "zz.toml"
    assert "testa.toml" in p.message


def test_cat111_duplicate_indicator(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal.replace('code = "T2"', 'code = "T1"'))
    assert only(tmp_path, "CAT111").path == "indicators[1].code"


def test_cat112_duplicate_school(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal.replace('code = "beta"', 'code = "alpha"'))
    assert only(tmp_path, "CAT112").path == "schools[0].code"


def test_cat113_duplicate_target_year(tmp_path: Path, minimal: str) -> None:
    text = minimal.replace(
        '[{ year = 2026, kind = "at_least", value = 0.70 }]',
        '[{ year = 2026, kind = "at_least", value = 0.70 },\n { year = 2026, kind = "at_least", value = 0.75 }]',
    )
    write(tmp_path, text)
    assert only(tmp_path, "CAT113").path == "indicators[0].targets[1].year"


def test_cat114_and_cat150_margins(tmp_path: Path, minimal: str) -> None:
    text = minimal.replace(
        "[plan]",
        """[population]
margins = [{ variables = ["age_band", "sex"], cells = [
  { levels = ["18-29", "female"], population = 100 },
  { levels = ["18-29", "female"], population = 90 },
  { levels = ["30-44"], population = 80 },
] }]

[plan]""",
    )
    write(tmp_path, text)
    found = problems(tmp_path)
    assert [(p.code, p.path) for p in found] == [
        ("CAT114", "population.margins[0].cells[1].levels"),
        ("CAT150", "population.margins[0].cells[2].levels"),
    ]


def test_cat120_shares_outside_0_1(tmp_path: Path, minimal: str) -> None:
    write(
        tmp_path,
        minimal.replace("value = 0.60, year", "value = 60, year").replace("value = 0.70", "value = 70.0"),
    )
    found = problems(tmp_path)
    assert [(p.code, p.path) for p in found] == [
        ("CAT120", "indicators[0].baseline.value"),
        ("CAT120", "indicators[0].targets[0].value"),
    ]
    assert "0.60" in found[0].fix


def test_cat121_target_not_after_baseline(tmp_path: Path, minimal: str) -> None:
    write(
        tmp_path,
        minimal.replace("baseline = { value = 0.04, year = 2023 }", "baseline = { value = 0.04, year = 2028 }"),
    )
    # the plan-level baseline_year stays 2023, so only the target year is wrong here
    assert only(tmp_path, "CAT121").path == "indicators[1].targets[0].year"


def test_cat121_with_to_be_set(tmp_path: Path, minimal: str) -> None:
    write(
        tmp_path,
        minimal.replace("baseline = { value = 0.60, year = 2023 }", "baseline = { to_be_set = 2026 }"),
    )
    assert only(tmp_path, "CAT121").path == "indicators[0].targets[0].year"


def test_cat122_years_outside_period(tmp_path: Path, minimal: str) -> None:
    text = minimal.replace("evaluation_years = [2026, 2028]", "evaluation_years = [2026, 2030]")
    text = text.replace("year = 2028, kind", "year = 2029, kind")
    write(tmp_path, text)
    found = problems(tmp_path)
    assert [(p.code, p.path) for p in found] == [
        ("CAT122", "plan.evaluation_years[1]"),
        ("CAT122", "indicators[1].targets[0].year"),
    ]


def test_cat123_baseline_needs_value_or_to_be_set(tmp_path: Path, minimal: str) -> None:
    write(
        tmp_path,
        minimal.replace(
            "baseline = { value = 0.60, year = 2023 }", "baseline = { value = 0.6, to_be_set = 2024 }"
        ).replace("baseline = { value = 0.04, year = 2023 }", "baseline = { value = 0.04 }"),
    )
    found = problems(tmp_path)
    assert [(p.code, p.path) for p in found] == [
        ("CAT123", "indicators[0].baseline"),
        ("CAT123", "indicators[1].baseline"),
    ]


def test_cat124_plan_period(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal.replace("baseline_year = 2023", "baseline_year = 2025"))
    assert only(tmp_path, "CAT124").path == "plan"


def test_cat130_survey_without_block(tmp_path: Path, minimal: str) -> None:
    write(
        tmp_path,
        minimal.replace('survey = { instrument = "parent-satisfaction", rule = "high_satisfaction" }\n', ""),
    )
    assert only(tmp_path, "CAT130").path == "indicators[0].survey"


def test_cat131_administrative_with_instrument(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal + 'survey = { instrument = "parent-satisfaction", rule = "high_satisfaction" }\n')
    assert only(tmp_path, "CAT131").path == "indicators[1].survey"


def test_cat132_unknown_instrument_or_rule(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal.replace('rule = "high_satisfaction"', 'rule = "top_two_box"'))
    p = only(tmp_path, "CAT132")
    assert p.path == "indicators[0].survey.rule"
    assert "high_satisfaction" in p.fix
    write(tmp_path, minimal.replace('"parent-satisfaction"', '"parents"'))
    assert only(tmp_path, "CAT132").path == "indicators[0].survey.instrument"
    # the registry is a parameter: None skips the check (a new instrument needs no code change here)
    assert load_catalogue(tmp_path, instruments=None).municipality("testa")


def test_cat140_direction_vs_kind(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal.replace('kind = "at_least"', 'kind = "at_most"').replace('"below"', '"above"'))
    found = problems(tmp_path)
    assert [(p.code, p.path) for p in found] == [
        ("CAT140", "indicators[0].targets[0].kind"),
        ("CAT140", "indicators[1].targets[0].kind"),
    ]


def test_cat141_target_wrong_side_of_baseline(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal.replace("value = 0.70", "value = 0.50"))
    assert only(tmp_path, "CAT141").path == "indicators[0].targets[0].value"


def test_equal_bound_target_is_fine(tmp_path: Path, minimal: str) -> None:
    # Like Bauska 8 (vidusskolā): baseline 0,02%, target "<0,02%".
    write(tmp_path, minimal.replace('kind = "below", value = 0.01', 'kind = "below", value = 0.04'))
    assert load_catalogue(tmp_path).indicator("testa", "T2").targets[0].value == 0.04


def test_problems_of_several_files_reported_together(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal.replace("value = 0.70", "value = 7.0"))
    write(tmp_path, minimal.replace('"testa"', '"testb"').replace("period_end = 2028", "x = = 1"), "testb.toml")
    found = problems(tmp_path)
    assert {(p.file, p.code) for p in found} == {("testa.toml", "CAT120"), ("testb.toml", "CAT101")}
    assert "2 problem(s)" in str(CatalogueError(found))


def test_cat103_codes_fit_database_columns(tmp_path: Path, minimal: str) -> None:
    write(tmp_path, minimal.replace('code = "T2"', 'code = "T2-with-a-very-long-code"'))
    assert only(tmp_path, "CAT103").path == "indicators[1].code"


def test_load_municipality_file_and_effective_design(tmp_path: Path, minimal: str) -> None:
    from pmp_surveys.catalogue import load_municipality_file

    teacher = """
[[indicators]]
code = "TT1"
kind = "expected_result"
names = { lv = "Pašefektivitāte", en = "Self-efficacy" }
direction = "rise"
source = { kind = "survey", plan_text = "Aptauja" }
survey = { instrument = "teacher-self-efficacy", rule = "high_self_efficacy", design = "clustered" }
"""
    write(tmp_path, minimal + teacher)
    m = load_municipality_file(tmp_path / "municipalities" / "testa.toml")
    assert m.effective_design(m.indicator("TT1")) == "clustered"  # school alpha has a head-count
    assert m.effective_design(m.indicator("T1")) == "simple"
    assert m.effective_design(m.indicator("T2")) is None
    write(tmp_path, minimal.replace("value = 0.70", "value = 0.1"))
    with pytest.raises(CatalogueError) as info:
        load_municipality_file(tmp_path / "municipalities" / "testa.toml")
    assert info.value.codes == ["CAT141"]
