"""The weighted (resident) path of the pure evaluation: raking to the municipality's margins."""

from __future__ import annotations

import math
from collections.abc import Sequence

import msgspec
import polars as pl

from pmp_surveys.catalogue.schema import Catalogue, Margin, MarginCell, Population
from pmp_surveys.indicators.evaluate import EvaluationInputs, evaluate
from pmp_surveys.indicators.extract import VersionPart, WaveResponses
from pmp_surveys.instruments.coding import DONT_KNOW_CODE, build_layout
from pmp_surveys.instruments.loader import load_instrument_file
from pmp_surveys.settings import project_root

FEMALE, MALE, PREFER_NOT = 1, 2, 9


def residents(rows: Sequence[tuple[int | None, int | None]]) -> WaveResponses:
    """(availability_rating, sex) per respondent."""
    instrument = load_instrument_file(project_root() / "surveys" / "resident-perception.toml").instrument
    layout = build_layout(instrument)
    columns: dict[str, list[int | None]] = {v.name: [None] * len(rows) for v in layout.codes}
    columns["availability_rating"] = [r for r, _ in rows]
    columns["sex"] = [s for _, s in rows]
    frame = pl.DataFrame(
        {"campaign_id": [1] * len(rows), "school_id": [None] * len(rows), **columns},
        schema={"campaign_id": pl.Int32, "school_id": pl.Int32, **{v.name: pl.Int16 for v in layout.codes}},
    )
    return WaveResponses("resident-perception", 2026, (VersionPart(1, 1, instrument, frame),))


def test_raked_to_one_margin_is_the_post_stratified_share(catalogue: Catalogue) -> None:
    margins = [
        Margin(
            variables=["sex"],
            cells=[MarginCell(levels=["female"], population=600), MarginCell(levels=["male"], population=400)],
        )
    ]
    bauska = msgspec.structs.replace(catalogue.municipality("bauska"), population=Population(margins=margins))
    rows = (
        [(5, FEMALE)] * 30
        + [(2, FEMALE)] * 10
        + [(4, MALE)] * 30
        + [(1, MALE)] * 30
        + [(DONT_KNOW_CODE, MALE)] * 5
        + [(5, None)] * 3
        + [(5, PREFER_NOT)] * 2
    )
    inputs = EvaluationInputs(responses={("resident-perception", 2026): residents(rows)})
    b2 = evaluate(bauska, 2026, inputs).indicator("B2")
    # One margin: raking = post-stratification, weight N_c/n_c with n_c every weighted respondent of
    # the cell (don't-know included); "don't know" then leaves the denominator (as R's
    # svyciprop(~y, rake(...)) with y missing): p = Σ_c w_c x_c / Σ_c w_c m_c, m_c = counted answers.
    w_female, w_male = 600 / 40, 400 / 65
    expected = (w_female * 30 + w_male * 30) / (w_female * 40 + w_male * 60)
    assert b2.design_used == "weighted" and b2.method == "beta"
    assert math.isclose(b2.value or 0, expected, rel_tol=1e-12)
    assert (b2.n, b2.n_excluded) == (100, 5)
    assert any("5 response(s) without a weighting category" in note for note in b2.notes)
    assert (b2.ci_low or 0) < (b2.value or 0) < (b2.ci_high or 1)


def test_raking_impossible_falls_back_to_simple_and_says_why(catalogue: Catalogue) -> None:
    margins = [
        Margin(
            variables=["sex"],
            cells=[MarginCell(levels=["female"], population=600), MarginCell(levels=["male"], population=400)],
        )
    ]
    bauska = msgspec.structs.replace(catalogue.municipality("bauska"), population=Population(margins=margins))
    inputs = EvaluationInputs(
        responses={("resident-perception", 2026): residents([(5, FEMALE)] * 8 + [(1, FEMALE)] * 2)}
    )
    b2 = evaluate(bauska, 2026, inputs).indicator("B2")
    assert b2.design_used == "simple" and b2.value == 0.8
    assert any("raking is impossible" in note for note in b2.notes)


def test_raking_that_does_not_converge_is_not_reported_as_weighted(catalogue: Catalogue) -> None:
    # Every woman is 18–24 and every man 25–34: the sex margin wants 600 women, the age margin 500
    # people of 18–24 — contradictory through the empty cells, so raking cannot converge.
    margins = [
        Margin(
            variables=["sex"],
            cells=[MarginCell(levels=["female"], population=600), MarginCell(levels=["male"], population=400)],
        ),
        Margin(
            variables=["age_band"],
            cells=[MarginCell(levels=["age_18_24"], population=500), MarginCell(levels=["age_25_34"], population=500)],
        ),
    ]
    bauska = msgspec.structs.replace(catalogue.municipality("bauska"), population=Population(margins=margins))
    data = residents([(5, FEMALE)] * 20 + [(1, MALE)] * 20)
    part = data.parts[0]
    ages = part.frame.with_columns(age_band=pl.Series([1] * 20 + [2] * 20, dtype=pl.Int16))
    data = WaveResponses(data.instrument_key, data.wave, (VersionPart(1, 1, part.instrument, ages),))
    b2 = evaluate(bauska, 2026, EvaluationInputs(responses={("resident-perception", 2026): data})).indicator("B2")
    assert b2.design_used == "simple" and b2.value == 0.5
    assert any("raking did not converge" in note for note in b2.notes)
