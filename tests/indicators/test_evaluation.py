"""End to end on PostgreSQL: seeded responses and figures → evaluate_municipality → numbers checked
against values computed here by hand from the published formulas, and against published examples."""

from __future__ import annotations

import io
import math
from datetime import date
from pathlib import Path

import msgspec
import polars as pl
import pytest
from scipy import stats
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.catalogue.errors import AdminFiguresError
from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.indicators import FORMAT_VERSION, evaluate_municipality, import_figures
from pmp_surveys.indicators.extract import extract_wave
from pmp_surveys.indicators.repository import IndicatorRepository
from pmp_surveys.indicators.schemas import result_schema
from pmp_surveys.instruments.coding import build_layout
from pmp_surveys.instruments.definition import Option, SingleQuestion
from pmp_surveys.instruments.loader import canonical_json, content_hash, load_instrument_file
from pmp_surveys.instruments.repository import InstrumentRepository
from pmp_surveys.instruments.service import sync_instruments
from pmp_surveys.responses.models import Response
from pmp_surveys.schools.models import School
from tests.indicators.conftest import DK, Seeder, share_answers

Z = 1.959963984540054  # z_{0.975}


def wilson(x: int, n: int, z: float = Z) -> tuple[float, float]:
    """Wilson (1927) score interval as written in Newcombe (1998a), Statistics in Medicine 17:857,
    method 3: (2x + z² ± z·sqrt(z² + 4x(n−x)/n)) / (2(n + z²))."""
    centre, half, denominator = 2 * x + z * z, z * math.sqrt(z * z + 4 * x * (n - x) / n), 2 * (n + z * z)
    return (centre - half) / denominator, (centre + half) / denominator


def two_sided_normal_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2))


async def test_two_sample_path_matches_newcombe_published_example(
    session: AsyncSession, seeded: Seeder, catalogue: Catalogue
) -> None:
    # Newcombe (1998b), Statistics in Medicine 17:873–890, Table II example (a): 56/70 vs 48/80
    # (5 blank answers make 75 responses: results are released in steps of k = 5),
    # method 10 (hybrid score): difference 0.2000, 95% CI 0.0524 to 0.3339.
    await seeded.responses(
        "bauska",
        "parent-satisfaction",
        2026,
        share_answers("overall_satisfaction", {5: 30, 4: 26, 3: 8, 2: 4, 1: 2, None: 5}),
    )
    await seeded.responses(
        "bauska", "parent-satisfaction", 2024, share_answers("overall_satisfaction", {5: 20, 4: 28, 3: 20, 1: 12})
    )
    await session.commit()
    evaluation = await evaluate_municipality(session, catalogue.municipality("bauska"), 2026)
    b1 = evaluation.indicator("B1")
    assert b1.n == 70 and b1.value == 0.8
    assert b1.n_blank == 5 and b1.n_excluded == 0 and b1.n_set_aside == 5
    low, high = wilson(56, 70)
    assert math.isclose(b1.ci_low or 0, low, rel_tol=1e-12) and math.isclose(b1.ci_high or 0, high, rel_tol=1e-12)
    assert b1.method == "wilson" and b1.design_used == "simple"
    # Baseline "to be set in 2024": the 2024 wave's microdata, two-sample comparison.
    assert (b1.baseline_source, b1.baseline_year, b1.comparison) == ("microdata", 2024, "two-sample")
    assert b1.baseline_value == 0.6 and b1.baseline_n == 80
    assert round(b1.change or 0, 4) == 0.2
    assert round(b1.change_ci_low or 0, 4) == 0.0524 and round(b1.change_ci_high or 0, 4) == 0.3339
    # Pooled score test (= Pearson chi-square without continuity correction).
    pooled = (56 + 48) / 150
    z = 0.2 / math.sqrt(pooled * (1 - pooled) * (1 / 70 + 1 / 80))
    assert math.isclose(b1.change_p_value or 0, two_sided_normal_p(z), rel_tol=1e-9)
    # 2026 is judged against the latest target due, 2025: at least 70%. 0.8 with [0.69, 0.88] → undecided.
    assert (b1.target_year, b1.target_kind, b1.target_value) == (2025, "at_least", 0.7)
    assert b1.verdict == "not_yet_distinguishable"
    # One-sided score test of H0 "p ≤ 0.70", variance from the target: z = 0.1 / sqrt(0.7·0.3/70).
    z_target = (0.8 - 0.7) / math.sqrt(0.7 * 0.3 / 70)
    assert math.isclose(b1.verdict_p_value or 0, 0.5 * math.erfc(z_target / math.sqrt(2)), rel_tol=1e-9)
    assert any("2025 target" in note for note in b1.notes)
    assert evaluation.format_version == FORMAT_VERSION and evaluation.suppression_threshold == 5
    # Metadata names the methods used, and only those.
    assert {"simple", "two-sample", "verdict", "multiplicity", "suppression"} <= set(evaluation.methods)
    assert "clustered" not in evaluation.methods and "weighted" not in evaluation.methods
    # Every indicator of the catalogue is in the result, in catalogue order.
    assert [r.code for r in evaluation.indicators] == [i.code for i in catalogue.municipality("bauska").indicators]


async def test_published_baseline_path_uses_one_sample_score_test(
    session: AsyncSession, seeded: Seeder, catalogue: Catalogue
) -> None:
    await seeded.responses(
        "riga", "parent-satisfaction", 2026, share_answers("overall_satisfaction", {5: 70, 4: 60, 2: 70})
    )
    await session.commit()
    evaluation = await evaluate_municipality(session, catalogue.municipality("riga"), 2026)
    r1 = evaluation.indicator("R1")
    assert (r1.value, r1.n) == (0.65, 200)
    assert (r1.comparison, r1.baseline_source, r1.baseline_value, r1.baseline_year) == (
        "against-published-value",
        "published",
        0.6,
        2022,
    )
    # Score test with the variance at p0 (R: prop.test(130, 200, p = 0.6, correct = FALSE)).
    z = (0.65 - 0.6) / math.sqrt(0.6 * 0.4 / 200)
    assert math.isclose(r1.change_p_value or 0, two_sided_normal_p(z), rel_tol=1e-9)
    assert math.isclose(r1.change or 0, 0.05, abs_tol=1e-12)
    low, high = wilson(130, 200)
    assert math.isclose(r1.change_ci_low or 0, low - 0.6) and math.isclose(r1.change_ci_high or 0, high - 0.6)
    # Target 2026: at least 70%; upper Wilson limit 0.713 → not yet distinguishable.
    assert r1.target_value == 0.7 and r1.verdict == "not_yet_distinguishable"
    # Asking for "published" explicitly gives the same; asking for a wave without data falls back
    # to the plan's baseline and says so.
    again = await evaluate_municipality(session, catalogue.municipality("riga"), 2026, baseline="published")
    assert again.indicator("R1").change_p_value == r1.change_p_value
    fallback = (await evaluate_municipality(session, catalogue.municipality("riga"), 2026, baseline=2024)).indicator(
        "R1"
    )
    assert (fallback.comparison, fallback.baseline_year) == ("against-published-value", 2022)
    assert fallback.change_p_value == r1.change_p_value
    assert any("no data for the baseline year 2024" in n and "baseline of 2022" in n for n in fallback.notes)
    # Multiplicity: with one p-value in the family, Holm and BH equal the raw p-value.
    assert r1.change_p_holm == r1.change_p_value == r1.change_p_bh


async def test_dont_know_leaves_denominator_and_is_counted(
    session: AsyncSession, seeded: Seeder, catalogue: Catalogue
) -> None:
    await seeded.responses(
        "bauska",
        "resident-perception",
        2026,
        share_answers("availability_rating", {5: 25, 4: 35, 3: 20, 2: 10, DK: 10, None: 5}),
    )
    await session.commit()
    b2 = (await evaluate_municipality(session, catalogue.municipality("bauska"), 2026)).indicator("B2")
    assert (b2.n, b2.n_excluded, b2.n_blank, b2.n_set_aside) == (90, 10, 5, 15)
    assert math.isclose(b2.value or 0, 60 / 90)
    # Weighted asked, but Bauska's file has no population margins: simple, and the result says so.
    assert (b2.design, b2.design_used) == ("weighted", "simple")
    assert any("no population margins" in note for note in b2.notes)
    # Baseline "to be set in 2024" without a 2024 wave: no comparison, stated.
    assert b2.comparison == "none" and b2.change is None
    assert any("2024" in note for note in b2.notes)


async def test_small_group_is_suppressed_everywhere(
    session: AsyncSession, seeded: Seeder, catalogue: Catalogue
) -> None:
    await seeded.responses("riga", "resident-perception", 2026, share_answers("availability_rating", {5: 3, 2: 1}))
    await seeded.responses(
        "riga", "parent-satisfaction", 2026, share_answers("overall_satisfaction", {5: 10, 4: 10, 1: 10})
    )
    await session.commit()
    evaluation = await evaluate_municipality(session, catalogue.municipality("riga"), 2026)
    r2 = evaluation.indicator("R2")
    assert r2.suppressed and r2.verdict == "suppressed"
    numeric = ("value", "ci_low", "ci_high", "std_error", "n", "n_excluded", "n_blank", "n_set_aside", "change")
    for name in (*numeric, "change_ci_low", "change_ci_high", "change_p_value", "verdict_p_value", "deff"):
        assert getattr(r2, name) is None, name
    document = msgspec.json.decode(evaluation.to_json())
    row = next(r for r in document["indicators"] if r["code"] == "R2")
    assert all(row[name] is None for name in numeric)
    assert "0.75" not in msgspec.json.encode(row).decode()
    frame_row = evaluation.to_frame().filter(code="R2").row(0, named=True)
    assert frame_row["value"] is None and frame_row["n"] is None and frame_row["suppressed"] is True
    assert evaluation.to_csv().startswith("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
    csv = pl.read_csv(io.StringIO(evaluation.to_csv()))
    assert csv.filter(pl.col("code") == "R2").select("value", "ci_low", "n", "change").row(0) == (None,) * 4
    assert "suppressed" in result_schema()["$defs"]["IndicatorResult"]["properties"]
    # The other group is large enough and shown.
    assert evaluation.indicator("R1").value == 20 / 30


async def test_teachers_clustered_in_schools_with_head_counts(
    session: AsyncSession, seeded: Seeder, catalogue: Catalogue
) -> None:
    schools = {s.code: s.id for s in await IndicatorRepository(session).schools("bauska")}
    a, b = schools["bauskas-valsts-gimnazija"], schools["iecavas-vidusskola"]
    await session.execute(update(School).where(School.id == a).values(teachers=20))
    await session.execute(update(School).where(School.id == b).values(teachers=10))
    answers = share_answers("support_leadership", {5: 5, 2: 3}) + share_answers("support_leadership", {4: 2, 1: 5})
    await seeded.responses("bauska", "teacher-self-efficacy", 2026, answers, school_ids=[a] * 8 + [b] * 7)
    await session.commit()
    bt1 = (await evaluate_municipality(session, catalogue.municipality("bauska"), 2026)).indicator("BT1")
    assert bt1.design_used == "clustered" and bt1.method == "beta"
    # Stratified estimator, schools as strata (Cochran 1977, Sampling Techniques, eq. 5.5, 5.6):
    # p = Σ N_h p_h / N, V = Σ (N_h/N)² (1 − n_h/N_h) s_h²/n_h, s_h² = n_h p_h (1 − p_h)/(n_h − 1).
    strata = [(20, 8, 5 / 8), (10, 7, 2 / 7)]
    total = sum(big for big, _, _ in strata)
    p = sum(big * ph for big, _, ph in strata) / total
    variance = sum((big / total) ** 2 * (1 - n / big) * (n * ph * (1 - ph) / (n - 1)) / n for big, n, ph in strata)
    assert math.isclose(bt1.value or 0, p, rel_tol=1e-12)
    assert math.isclose(bt1.std_error or 0, math.sqrt(variance), rel_tol=1e-9)
    assert bt1.n == 15 and (bt1.ci_low or 0) < p < (bt1.ci_high or 1)
    # No baseline and no target for expected results.
    assert bt1.verdict == "no_target" and bt1.comparison == "none"


GOOD = """municipality,indicator,year,numerator,denominator,school
bauska,B3,2023,670,1000,
bauska,B3,2026,700,1000,
bauska,B4,2026,18,20,
bauska,B8a,2026,0,10000,bauskas-valsts-gimnazija
bauska,B8a,2026,0,10000,iecavas-vidusskola
riga,R8b,2026,500,10000,
"""


async def test_admin_figures_import_and_verdicts(session: AsyncSession, seeded: Seeder, catalogue: Catalogue) -> None:
    outcome = await import_figures(session, catalogue, GOOD)
    await session.commit()
    assert (outcome.rows, outcome.inserted, outcome.updated) == (6, 6, 0)
    # Importing again replaces by key: nothing doubles.
    again = await import_figures(session, catalogue, GOOD.replace("700,1000", "710,1000"))
    await session.commit()
    assert (again.inserted, again.updated) == (0, 6)
    assert len(await IndicatorRepository(session).figures("bauska")) == 5

    bauska = await evaluate_municipality(session, catalogue.municipality("bauska"), 2026)
    b3 = bauska.indicator("B3")
    assert (b3.value, b3.n, b3.comparison, b3.baseline_source, b3.baseline_year) == (
        0.71,
        1000,
        "two-sample",
        "figures",
        2023,
    )
    # Administrative figures are complete counts (census): the 2023 figures give a plain difference.
    assert b3.design_used == "census" and b3.change == pytest.approx(0.04) and b3.change_p_value is None
    b4 = bauska.indicator("B4")
    assert (b4.comparison, b4.baseline_value) == ("against-published-value", 0.77)
    # Falling indicator with a bound target ("<0,05%"): 0 of 20 000 (two school rows summed) is a
    # complete count below the target → achieved, with no interval.
    b8a = bauska.indicator("B8a")
    assert (b8a.value, b8a.n, b8a.target_kind) == (0.0, 20000, "below")
    assert b8a.ci_high is None
    assert b8a.verdict == "achieved" and any("sum of 2 school row(s)" in n for n in b8a.notes)
    riga = await evaluate_municipality(session, catalogue.municipality("riga"), 2026)
    # Falling, at most 3.5% in 2026: a complete count of 5.0% → not achieved, no test.
    r8b = riga.indicator("R8b")
    assert r8b.direction == "fall" and r8b.verdict == "not_achieved"
    assert r8b.verdict_p_value is None and r8b.verdict_test == "census"
    # No figures for R3: no data, not a number.
    r3 = riga.indicator("R3")
    assert r3.verdict == "no_data" and r3.value is None and "no figures for 2026" in r3.notes


async def test_bad_figures_file_writes_nothing(session: AsyncSession, seeded: Seeder, catalogue: Catalogue) -> None:
    bad = GOOD + "bauska,B3,2027,1200,1000,\n"
    with pytest.raises(AdminFiguresError) as caught:
        await import_figures(session, catalogue, bad)
    assert caught.value.codes == ["ADM221"] and caught.value.problems[0].row == 8
    await session.commit()
    assert await IndicatorRepository(session).figures("bauska") == []


async def test_two_instrument_versions_in_one_wave_are_read_by_their_own_layout(
    session: AsyncSession, seeded: Seeder, catalogue: Catalogue, surveys_dir: Path
) -> None:
    loaded = load_instrument_file(surveys_dir / "parent-satisfaction.toml")
    v1 = loaded.instrument
    # Version 2 asks a new single-choice question first: every later variable moves one position.
    first = SingleQuestion(
        id="heard_from",
        label=v1.title,
        options=[Option(value="school", code=1, label=v1.title), Option(value="friends", code=2, label=v1.title)],
    )
    v2 = msgspec.structs.replace(v1, questions=[first, *v1.questions])
    await sync_instruments(
        session,
        [
            msgspec.structs.replace(
                loaded, instrument=v2, content_hash=content_hash(v2), canonical_json=canonical_json(v2)
            )
        ],
    )
    await session.commit()
    assert (
        build_layout(v2).code_index("overall_satisfaction") == build_layout(v1).code_index("overall_satisfaction") + 1
    )
    # The seeder takes the latest version (v2) …
    await seeded.responses("bauska", "parent-satisfaction", 2026, [{"heard_from": 2, "overall_satisfaction": 5}] * 12)
    # … and an older campaign of the same wave on v1.
    version_1 = await InstrumentRepository(session).by_hash(loaded.content_hash)
    assert version_1 is not None
    campaign = Campaign(
        slug="v1-campaign",
        municipality="bauska",
        instrument_version_id=version_1.id,
        wave=2026,
        title="v1",
        status="closed",
        audience="parents",
        access_mode="public_link",
    )
    session.add(campaign)
    await session.flush()
    layout = build_layout(v1)
    for i in range(8):
        codes: list[int | None] = [None] * len(layout.codes)
        codes[layout.code_index("overall_satisfaction")] = 2
        key = bytes([i]) * 32
        session.add(
            Response(
                campaign_id=campaign.id,
                instrument_version_id=version_1.id,
                submitted_on=date(2026, 3, 1),
                idempotency_key=key,
                fingerprint=key,
                codes=codes,
            )
        )
    await session.commit()
    repo = IndicatorRepository(session)
    wave = await extract_wave(repo, "bauska", "parent-satisfaction", 2026)
    assert sorted(p.version for p in wave.parts) == [1, 2] and wave.n == 20
    aligned = wave.aligned()
    assert aligned.height == 20 and aligned.get_column("heard_from").null_count() == 8
    assert sorted(aligned.get_column("overall_satisfaction").to_list()) == [2] * 8 + [5] * 12
    b1 = (await evaluate_municipality(session, catalogue.municipality("bauska"), 2026)).indicator("B1")
    assert (b1.n, b1.value) == (20, 12 / 20)


async def test_holm_and_bh_across_the_indicator_set(
    session: AsyncSession, seeded: Seeder, catalogue: Catalogue
) -> None:
    await import_figures(session, catalogue, GOOD)
    await session.commit()
    # Complete counts have no test (census, the default): read these figures as samples here.
    bauska = catalogue.municipality("bauska")
    as_samples = [
        msgspec.structs.replace(i, source=msgspec.structs.replace(i.source, inference="sample"))
        if i.code in {"B3", "B4", "B8a"}
        else i
        for i in bauska.indicators
    ]
    bauska = msgspec.structs.replace(bauska, indicators=as_samples)
    evaluation = await evaluate_municipality(session, bauska, 2026)
    raw = {r.code: r.change_p_value for r in evaluation.indicators if r.change_p_value is not None}
    assert set(raw) == {"B3", "B4", "B8a"}
    ordered = sorted(raw.items(), key=lambda item: item[1])
    m = len(ordered)
    # Holm (1979): p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j)); BH (1995): min_{j ≥ i} m p_(j)/j.
    holm, running = {}, 0.0
    for j, (code, p) in enumerate(ordered):
        running = max(running, min(1.0, (m - j) * p))
        holm[code] = running
    bh, running = {}, 1.0
    for j in range(m - 1, -1, -1):
        code, p = ordered[j]
        running = min(running, m * p / (j + 1))
        bh[code] = running
    for r in evaluation.indicators:
        if r.code in raw:
            assert math.isclose(r.change_p_holm or 0, holm[r.code]) and math.isclose(r.change_p_bh or 0, bh[r.code])
        else:
            assert r.change_p_holm is None and r.change_p_bh is None


async def test_design_based_change_between_two_teacher_waves(
    session: AsyncSession, seeded: Seeder, catalogue: Catalogue
) -> None:
    schools = {s.code: s.id for s in await IndicatorRepository(session).schools("bauska")}
    a, b = schools["bauskas-valsts-gimnazija"], schools["iecavas-vidusskola"]
    await session.execute(update(School).where(School.id.in_([a, b])).values(teachers=40))
    for wave, (ya, yb) in ((2026, (15, 12)), (2024, (8, 6))):
        answers = share_answers("support_colleagues", {5: ya, 1: 20 - ya}) + share_answers(
            "support_colleagues", {4: yb, 2: 20 - yb}
        )
        await seeded.responses("bauska", "teacher-self-efficacy", wave, answers, school_ids=[a] * 20 + [b] * 20)
    await session.commit()
    municipality = catalogue.municipality("bauska")
    now = (await evaluate_municipality(session, municipality, 2026, baseline=2024)).indicator("BT2")
    before = (await evaluate_municipality(session, municipality, 2024)).indicator("BT2")
    assert (now.comparison, now.baseline_source, now.change_method) == ("two-sample", "microdata", "design-t")
    assert math.isclose(now.value or 0, 27 / 40) and math.isclose(now.baseline_value or 0, 14 / 40)
    se = math.hypot(now.std_error or 0, before.std_error or 0)
    assert math.isclose(now.change or 0, 27 / 40 - 14 / 40)
    # t on the designs' df: (40 respondents − 2 school strata) in each wave = 76
    q = float(stats.t.ppf(0.975, 76))
    assert math.isclose(now.change_ci_low or 0, (now.change or 0) - q * se, rel_tol=1e-9)
    assert math.isclose(now.change_p_value or 0, 2 * stats.t.sf(abs((now.change or 0) / se), 76), rel_tol=1e-9)
