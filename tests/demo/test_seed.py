"""The synthetic demo: campaigns, counts, effects, determinism, idempotency, admin figures."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.demo.scenario import load_scenario
from pmp_surveys.demo.seed import SeedReport, figure_years, seed
from pmp_surveys.instruments.coding import DONT_KNOW, DONT_KNOW_CODE, scale_coding, scale_score
from pmp_surveys.instruments.definition import (
    Instrument,
    LikertQuestion,
    MultipleQuestion,
    NumberQuestion,
    SingleQuestion,
)
from pmp_surveys.instruments.repository import InstrumentRepository
from pmp_surveys.instruments.service import VersionRecord, record_from_row

from .conftest import TODAY

EXPECTED = {
    "demo-bauska-parents-2024": "closed",
    "demo-bauska-parents-2026": "open",
    "demo-bauska-residents-2024": "closed",
    "demo-bauska-residents-2026": "open",
    "demo-bauska-teachers-2024": "closed",
    "demo-bauska-teachers-2026": "open",
    "demo-riga-parents-2026": "open",
    "demo-riga-residents-2026": "open",
    "demo-riga-teachers-2024": "closed",
    "demo-riga-teachers-2026": "open",
}


async def _record(session: AsyncSession, key: str) -> VersionRecord:
    row = await InstrumentRepository(session).latest(key)
    assert row is not None
    return record_from_row(row)


async def _responses(session: AsyncSession, slug: str) -> list[Any]:
    rows = await session.execute(
        text(
            "SELECT r.school_id, r.submitted_on, r.codes, r.numbers, r.texts, r.fingerprint FROM responses r "
            "JOIN campaigns c ON c.id = r.campaign_id WHERE c.slug = :s ORDER BY r.id"
        ),
        {"s": slug},
    )
    return list(rows)


def _codes(rows: list[Any], record: VersionRecord, name: str) -> np.ndarray[Any, Any]:
    i = record.validator.layout.code_index(name)
    return np.array([np.nan if r.codes[i] is None else r.codes[i] for r in rows], dtype=float)


async def test_campaigns_and_report(session: AsyncSession, seeded: SeedReport) -> None:
    rows = (await session.execute(text("SELECT slug, status, title, wave FROM campaigns ORDER BY slug"))).all()
    assert {r.slug: r.status for r in rows} == EXPECTED
    assert all(r.title.startswith("DEMO (synthetic data)") for r in rows)
    assert seeded.campaigns_created == len(EXPECTED)
    assert [link.slug for link in seeded.links] == sorted(s for s, status in EXPECTED.items() if status == "open")
    total = await session.scalar(text("SELECT count(*) FROM responses"))
    assert total == seeded.responses_inserted
    assert 3000 <= total <= 8000  # "a few thousand"


async def test_schools_are_synthetic_or_from_the_catalogue(session: AsyncSession, seeded: SeedReport) -> None:
    riga = (await session.execute(text("SELECT code, name, teachers FROM schools WHERE municipality = 'riga'"))).all()
    assert len(riga) == 20
    assert all(r.name.startswith("Demo skola") and r.code.startswith("demo-") and r.teachers > 0 for r in riga)
    missing = await session.scalar(
        text("SELECT count(*) FROM schools WHERE municipality = 'bauska' AND teachers IS NULL")
    )
    assert missing == 0
    assert await session.scalar(text("SELECT count(*) FROM schools WHERE municipality = 'bauska'")) == 24


async def test_counts_and_effects(session: AsyncSession, seeded: SeedReport) -> None:
    scenario = load_scenario()
    parents = await _record(session, "parent-satisfaction")
    residents = await _record(session, "resident-perception")
    for year, n, p in ((2024, 150, 0.66), (2026, 170, 0.74)):
        rows = await _responses(session, f"demo-bauska-parents-{year}")
        assert len(rows) == n
        top_two = np.mean(_codes(rows, parents, "overall_satisfaction") >= 4)
        assert abs(top_two - p) < 3.5 * np.sqrt(p * (1 - p) / n), (year, top_two)
        assert all(r.school_id is None for r in rows)
    for slug, p in (("demo-bauska-residents-2024", 0.70), ("demo-bauska-residents-2026", 0.73)):
        rows = await _responses(session, slug)
        rating = _codes(rows, residents, "availability_rating")
        dont_know = np.mean(rating == DONT_KNOW_CODE)
        assert 0.06 < dont_know < 0.14, dont_know
        valid = rating[rating != DONT_KNOW_CODE]
        assert abs(np.mean(valid >= 4) - p) < 3.5 * np.sqrt(p * (1 - p) / len(valid))
        assert 0.04 < np.mean(np.isnan(_codes(rows, residents, "district"))) < 0.18  # optional skipped
    # Teachers: TSES mean ~6.8 at baseline, rising; small ICC; supervision ~45 %; rates 40–90 %.
    teachers = await _record(session, "teacher-self-efficacy")
    instrument = teachers.instrument
    coding = scale_coding(instrument, teachers.validator.layout, instrument.rule("tses_total"))  # type: ignore[arg-type]
    means = {}
    for year in (2024, 2026):
        rows = await _responses(session, f"demo-bauska-teachers-{year}")
        riga = await _responses(session, f"demo-riga-teachers-{year}")
        scores = np.array([scale_score(coding, tuple(r.codes), ()) for r in rows + riga], dtype=float)
        schools = np.array([r.school_id for r in rows + riga])
        assert all(s is not None for s in schools)
        means[year] = scores.mean()
        icc = _icc(scores, schools)
        assert 0.0 <= icc < 0.15, icc
        assert np.all((scores >= 1) & (scores <= 9))
        if year == 2024:
            supervision = np.mean(_codes(rows, teachers, "attended_supervision") == 1)
            assert abs(supervision - 0.45) < 0.08, supervision
    assert 6.6 < means[2024] < 7.05 and means[2026] > means[2024]
    # Response rates per school within the scenario's range (binomial noise allowed).
    heads = {
        r.id: r.teachers
        for r in await session.execute(text("SELECT id, teachers FROM schools WHERE municipality = 'riga'"))
    }
    rows = await _responses(session, "demo-riga-teachers-2026")
    counts: dict[int, int] = {}
    for r in rows:
        counts[r.school_id] = counts.get(r.school_id, 0) + 1
    rates = [counts.get(sid, 0) / heads[sid] for sid in heads]
    lo, hi = scenario.teachers.response_rate
    assert all(lo - 0.15 < rate < hi + 0.15 for rate in rates), rates


def _icc(scores: np.ndarray[Any, Any], groups: np.ndarray[Any, Any]) -> float:
    """One-way ANOVA estimator of the intra-class correlation."""
    ids = np.unique(groups)
    parts = [scores[groups == g] for g in ids]
    n, k = len(scores), len(parts)
    n0 = (n - sum(len(p) ** 2 for p in parts) / n) / (k - 1)
    msb = sum(len(p) * (p.mean() - scores.mean()) ** 2 for p in parts) / (k - 1)
    msw = sum(((p - p.mean()) ** 2).sum() for p in parts) / (n - k)
    return float((msb - msw) / (msb + (n0 - 1) * msw))


def _decode(
    instrument: Instrument, codes: list[int | None], numbers: list[float | None] | None, texts: Any
) -> dict[str, Any]:
    """Stored codes back to the answers the API would have received."""
    answers: dict[str, Any] = dict(texts or {})
    i = j = 0
    for q in instrument.questions:
        if isinstance(q, SingleQuestion):
            if codes[i] is not None:
                answers[q.id] = next(o.value for o in q.options if o.code == codes[i])
            i += 1
        elif isinstance(q, LikertQuestion):
            if codes[i] is not None:
                answers[q.id] = DONT_KNOW if codes[i] == DONT_KNOW_CODE else codes[i]
            i += 1
        elif isinstance(q, MultipleQuestion):
            ticks = codes[i : i + len(q.options)]
            if ticks[0] is not None:
                answers[q.id] = [o.value for o, t in zip(q.options, ticks, strict=True) if t == 1]
            i += len(q.options)
        elif isinstance(q, NumberQuestion):
            if numbers and numbers[j] is not None:
                answers[q.id] = numbers[j]
            j += 1
    return answers


async def test_every_response_passes_the_validator(session: AsyncSession, seeded: SeedReport) -> None:
    checked = 0
    for key, short in (
        ("parent-satisfaction", "parents"),
        ("resident-perception", "residents"),
        ("teacher-self-efficacy", "teachers"),
    ):
        record = await _record(session, key)
        slugs = [s for s in EXPECTED if f"-{short}-" in s]
        for slug in slugs:
            for r in await _responses(session, slug):
                coded = record.validator.validate(_decode(record.instrument, r.codes, r.numbers, r.texts))
                assert list(coded.codes) == list(r.codes)
                assert coded.fingerprint == bytes(r.fingerprint)
                checked += 1
    assert checked == seeded.responses_inserted


async def test_admin_figures_for_every_non_survey_indicator(
    session: AsyncSession, seeded: SeedReport, catalogue: Catalogue
) -> None:
    scenario = load_scenario()
    rows = (
        await session.execute(text("SELECT municipality, indicator, year, numerator, denominator FROM admin_figures"))
    ).all()
    have = {(r.municipality, r.indicator, r.year): r for r in rows}
    expected = 0
    for municipality in catalogue.municipalities.values():
        for indicator in municipality.indicators:
            if indicator.is_survey:
                continue
            years = figure_years(municipality, indicator, scenario)
            assert municipality.plan.baseline_year in years and 2025 in years and 2026 in years
            for year in years:
                assert (municipality.code, indicator.code, year) in have, (municipality.code, indicator.code, year)
                expected += 1
            base = have[(municipality.code, indicator.code, years[0])]
            assert indicator.baseline is not None and indicator.baseline.value is not None
            share = base.numerator / base.denominator
            assert abs(share - indicator.baseline.value) <= 0.15 * indicator.baseline.value + 1 / base.denominator
    assert len(rows) == expected == seeded.figures_written


async def test_idempotent(session: AsyncSession, seeded: SeedReport, catalogue: Catalogue) -> None:
    before = await session.scalar(text("SELECT count(*) FROM responses"))
    again = await seed(session, catalogue, today=TODAY)
    await session.commit()
    assert (again.campaigns_created, again.responses_inserted, again.figures_written, again.schools_added) == (
        0,
        0,
        0,
        0,
    )
    assert await session.scalar(text("SELECT count(*) FROM responses")) == before
    assert [link.slug for link in again.links] == [link.slug for link in seeded.links]


async def _fingerprints(session: AsyncSession) -> list[tuple[str, bytes, Any]]:
    rows = await session.execute(
        text(
            "SELECT c.slug, r.fingerprint, r.submitted_on FROM responses r JOIN campaigns c ON c.id = r.campaign_id "
            "ORDER BY c.slug, r.idempotency_key"
        )
    )
    return [(r[0], bytes(r[1]), r[2]) for r in rows]


async def test_deterministic_for_a_seed_and_reset(
    session: AsyncSession, seeded: SeedReport, catalogue: Catalogue
) -> None:
    first = await _fingerprints(session)
    figures = (await session.execute(text("SELECT indicator, year, numerator FROM admin_figures ORDER BY 1, 2"))).all()

    again = await seed(session, catalogue, reset=True, today=TODAY)
    await session.commit()
    assert again.responses_inserted == seeded.responses_inserted
    assert await _fingerprints(session) == first
    assert (
        await session.execute(text("SELECT indicator, year, numerator FROM admin_figures ORDER BY 1, 2"))
    ).all() == figures

    other = await seed(session, catalogue, seed=7, reset=True, today=TODAY)
    await session.commit()
    assert other.campaigns_created == len(EXPECTED)
    assert await _fingerprints(session) != first


@pytest.mark.parametrize("argv", [["demo"], ["demo", "--seed", "3", "--reset"]])
def test_cli_parses(argv: list[str]) -> None:
    from pmp_surveys.cli import build_parser
    from pmp_surveys.cli.demo import run_demo

    args = build_parser().parse_args(argv)
    assert args.handler is run_demo
    assert args.reset == ("--reset" in argv)


async def test_seed_demo_keeps_the_serve_signature(session: AsyncSession, prepared: None) -> None:
    from pmp_surveys.cli.demo import seed_demo

    links = await seed_demo(session, ["bauska", "riga"])
    await session.commit()
    assert [(link.municipality, link.instrument) for link in links] == [
        (m, k)
        for m in ("bauska", "riga")
        for k in ("parent-satisfaction", "resident-perception", "teacher-self-efficacy")
    ]
    assert await session.scalar(text("SELECT count(*) FROM responses")) > 3000


@pytest.mark.parametrize(("municipality", "baseline"), [("bauska", None), ("riga", None), ("riga", 2024)])
async def test_the_evaluation_computes_every_indicator_from_the_demo(
    session: AsyncSession, seeded: SeedReport, catalogue: Catalogue, municipality: str, baseline: int | None
) -> None:
    """The contract with `indicators`: data only (responses, campaigns with wave = year, admin figures)."""
    from pmp_surveys.indicators import evaluate_municipality

    evaluation = await evaluate_municipality(session, catalogue.municipality(municipality), 2026, baseline=baseline)
    codes = {i.code for i in catalogue.municipality(municipality).indicators}
    results = {r.code: r for r in evaluation.indicators}
    assert set(results) == codes
    assert all(r.value is not None and r.n for r in results.values()), [
        c for c, r in results.items() if r.value is None
    ]
