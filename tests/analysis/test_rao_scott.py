"""Rao–Scott corrected χ² against R: every reference number comes from
``reference/make_rao_scott_refs.R`` (R 4.2.2, survey 4.1-1, ``svychisq``), stored in
``reference/rao_scott_refs.json`` with the R call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pmp_surveys.analysis.design import SurveyDesign
from pmp_surveys.analysis.rao_scott import rao_scott_test

REFERENCE = Path(__file__).parent / "reference"
REFS: dict[str, Any] = json.loads((REFERENCE / "rao_scott_refs.json").read_text())
TEACHERS = pl.read_csv(REFERENCE / "teachers.csv", null_values="NA").with_columns(
    (pl.col("teachers") / pl.col("responded")).alias("w_school")
)
DESIGNS = {
    "clustered": SurveyDesign(clusters="school", strata="region", weights="w"),
    "schools_as_strata": SurveyDesign(strata="school", fpc="teachers", weights="w_school"),
}


@pytest.mark.parametrize("name", list(DESIGNS))
def test_second_order_f_matches_r_svychisq(name: str) -> None:
    ref = REFS[name]  # svychisq(~y + role, d, statistic="F")
    result = rao_scott_test(TEACHERS, "y", "role", DESIGNS[name], statistic="F")
    assert result.statistic == pytest.approx(ref["F"], rel=1e-9)
    assert result.df_num == pytest.approx(ref["ndf"], rel=1e-9)
    assert result.df_den == pytest.approx(ref["ddf"], rel=1e-9)
    assert result.p_value == pytest.approx(ref["p_F"], rel=1e-8)


@pytest.mark.parametrize("name", list(DESIGNS))
def test_first_order_chisq_matches_r_svychisq(name: str) -> None:
    ref = REFS[name]  # svychisq(~y + role, d, statistic="Chisq")
    result = rao_scott_test(TEACHERS, "y", "role", DESIGNS[name], statistic="Chisq")
    # R prints the uncorrected Pearson X² as the statistic and takes the p-value of
    # X² / mean(diag(Delta)); we report the corrected statistic and keep X² as `pearson`.
    assert result.pearson == pytest.approx(ref["chisq"], rel=1e-9)
    assert result.statistic == pytest.approx(ref["chisq"] / result.mean_design_effect, rel=1e-12)
    assert result.df_num == ref["df"] == 2
    assert result.p_value == pytest.approx(ref["p_chisq"], rel=1e-8)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="null"):
        rao_scott_test(TEACHERS, "y_na", "role", DESIGNS["clustered"])
    with pytest.raises(ValueError, match="two levels"):
        rao_scott_test(TEACHERS.with_columns(one=pl.lit(1)), "one", "role", DESIGNS["clustered"])
    with pytest.raises(ValueError, match="statistic"):
        rao_scott_test(TEACHERS, "y", "role", DESIGNS["clustered"], statistic="G")  # type: ignore[arg-type]
