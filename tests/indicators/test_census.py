"""Administrative figures are complete counts by default: a value, no sampling interval, a plain
verdict and a plain difference (issue #11). The catalogue can mark them as a sample."""

from __future__ import annotations

from pathlib import Path

import msgspec
import polars as pl
import pytest

from pmp_surveys.catalogue.errors import CatalogueError
from pmp_surveys.catalogue.loader import load_catalogue
from pmp_surveys.catalogue.schema import Catalogue, DataSource
from pmp_surveys.indicators.evaluate import EvaluationInputs, evaluate
from tests.indicators.conftest import ROOT


def _figures(rows: list[tuple[str, int, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator": [r[0] for r in rows],
            "year": [r[1] for r in rows],
            "school_id": [None for _ in rows],
            "numerator": [r[2] for r in rows],
            "denominator": [r[3] for r in rows],
        },
        schema={
            "indicator": pl.String,
            "year": pl.Int64,
            "school_id": pl.Int32,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
        },
    )


# The three examples (Rīga 2026): 6.4 % of 6,200 teachers vs "at least 7 %" (R5), 10.3 % vs
# "at least 10 %" (R6b), 3.3 % vs "at most 3.5 %" (R8b). As samples, their Wilson intervals contain
# the target and the verdict was "not yet distinguishable".
CENSUS = [("R5", 2026, 397, 6200), ("R6b", 2026, 1030, 10000), ("R8b", 2026, 330, 10000)]


@pytest.mark.parametrize(
    ("code", "verdict", "change"),
    [
        ("R5", "not_achieved", 397 / 6200 - 0.05),  # baseline 5 % (2022), published
        ("R6b", "achieved", 0.103 - 0.09),  # baseline 9 % (2022)
        ("R8b", "achieved", 0.033 - 0.04),  # baseline 4 % (2022)
    ],
)
def test_complete_counts_get_a_plain_verdict(catalogue: Catalogue, code: str, verdict: str, change: float) -> None:
    riga = catalogue.municipality("riga")
    result = evaluate(riga, 2026, EvaluationInputs(figures=_figures(CENSUS))).indicator(code)
    assert result.inference == "census" and result.design_used == "census"
    assert result.verdict == verdict and result.verdict_test == "census" and result.verdict_p_value is None
    # No sampling interval, no standard error, no test.
    assert (result.ci_low, result.ci_high, result.std_error) == (None, None, None)
    assert result.comparison == "against-published-value"
    assert result.change == pytest.approx(change, abs=1e-12)
    assert (result.change_ci_low, result.change_ci_high, result.change_p_value) == (None, None, None)
    assert result.change_method == "difference (census)"


def test_census_change_between_two_imported_years(catalogue: Catalogue) -> None:
    riga = catalogue.municipality("riga")
    figures = _figures([*CENSUS, ("R5", 2022, 310, 6200)])
    r5 = evaluate(riga, 2026, EvaluationInputs(figures=figures), baseline=2022).indicator("R5")
    assert (r5.comparison, r5.baseline_source, r5.baseline_value) == ("two-sample", "figures", 0.05)
    assert r5.change == pytest.approx(87 / 6200) and r5.change_p_value is None


def test_catalogue_can_mark_figures_as_a_sample(catalogue: Catalogue) -> None:
    riga = catalogue.municipality("riga")
    ind = riga.indicator("R5")
    sampled = msgspec.structs.replace(ind, source=msgspec.structs.replace(ind.source, inference="sample"))
    municipality = msgspec.structs.replace(riga, indicators=[sampled if i.code == "R5" else i for i in riga.indicators])
    r5 = evaluate(municipality, 2026, EvaluationInputs(figures=_figures(CENSUS))).indicator("R5")
    # Wilson 95 % interval of 397/6200 is [0.058204, 0.070400] (statsmodels proportion_confint(397, 6200,
    # method="wilson")), which contains 7 %: a sample cannot tell yet.
    assert r5.inference == "sample" and r5.verdict == "not_yet_distinguishable"
    assert r5.ci_low == pytest.approx(0.058204, abs=1e-6) and r5.ci_high == pytest.approx(0.070400, abs=1e-6)
    evaluation = evaluate(municipality, 2026, EvaluationInputs(figures=_figures(CENSUS)))
    assert "census" in evaluation.methods and "administrative" in evaluation.methods


def test_a_survey_cannot_be_a_census(tmp_path: Path) -> None:
    (tmp_path / "municipalities").mkdir()
    text = (ROOT / "analysis" / "municipalities" / "bauska.toml").read_text(encoding="utf-8")
    marker = 'source = { kind = "survey"'
    assert marker in text
    text = text.replace(marker, 'source = { inference = "census", kind = "survey"', 1)
    (tmp_path / "municipalities" / "bauska.toml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(tmp_path)
    assert "CAT133" in str(caught.value)


def test_data_source_default_reading() -> None:
    assert DataSource(kind="administrative", plan_text="VIIS").inference is None
