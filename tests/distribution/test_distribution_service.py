"""Distribution service: codes, school links, response rates, code sheets, atomic redemption."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Awaitable, Callable
from types import SimpleNamespace

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.db.embedded import asyncpg_connect_args
from pmp_surveys.distribution.service import (
    CODE_ALPHABET,
    ensure_school_link,
    format_code,
    hash_code,
    issue_codes,
    normalize_code,
    response_rates,
)
from pmp_surveys.distribution.sheets import codes_csv, render_code_sheet
from pmp_surveys.errors import Conflict, NotFound, ValidationFailed
from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.instruments.validation import AnswerValidator
from pmp_surveys.responses import repository, service
from pmp_surveys.schools.models import School
from tests.pages.conftest import TEACHER_FORM, MakeCampaign

MakeSchool = Callable[..., Awaitable[School]]


def test_code_alphabet_has_no_look_alikes_and_about_50_bits() -> None:
    import math

    assert len(CODE_ALPHABET) == 31 and not set("01ILO") & set(CODE_ALPHABET)
    assert 10 * math.log2(len(CODE_ALPHABET)) > 49


def test_codes_are_normalised_from_what_people_type() -> None:
    assert format_code("ABCDEFGHJK") == "ABCD-EFGH-JK"
    assert normalize_code(" abcd-efgh jk ") == "ABCDEFGHJK"
    assert normalize_code("ABCD-EFGH-J") is None  # too short
    assert normalize_code("ABCD-EFGH-J0") is None  # 0 is not in the alphabet
    assert hash_code("ABCDEFGHJK") == hash_code(normalize_code("abcd-efgh-jk") or "")


async def test_issue_codes_checks_count_and_municipality(
    session: AsyncSession, make_campaign: MakeCampaign, make_school: MakeSchool
) -> None:
    campaign = await make_campaign("t1", instrument="teacher-self-efficacy", audience="teachers")
    campaign_id = campaign.id
    bauska_school = (await make_school("b1", municipality="bauska")).id
    with pytest.raises(ValidationFailed):
        await issue_codes(session, campaign_id, bauska_school, 0)
    with pytest.raises(NotFound):
        await issue_codes(session, campaign_id, bauska_school, 3)
    with pytest.raises(NotFound):
        await ensure_school_link(session, campaign_id, bauska_school)
    with pytest.raises(NotFound):
        await response_rates(session, 999_999)


async def test_response_rates_count_responses_and_codes_per_school(
    session: AsyncSession, make_campaign: MakeCampaign, make_school: MakeSchool, settings: object
) -> None:
    campaign = await make_campaign("t1", instrument="teacher-self-efficacy", audience="teachers")
    campaign_id = campaign.id
    a = (await make_school("a", teachers=4)).id
    b = (await make_school("b", teachers=None)).id
    await make_school("elsewhere", municipality="bauska")
    codes = await issue_codes(session, campaign_id, a, 3)
    await session.commit()
    pool = await _pool(session)
    try:
        identity = await repository.campaign_identity(pool, "t1")
        assert identity is not None
        coded = _teacher_answers()
        async with pool.acquire() as conn:
            await service.store_with_code(
                conn,
                identity=identity,
                slug="t1",
                key=b"k" * 32,
                coded=coded,
                code_hash=hash_code(codes[0][:4] + codes[0][5:9] + codes[0][10:]),
            )
        await service.store(pool, identity=identity, slug="t1", key=b"x" * 32, coded=coded, school_id=b)
    finally:
        await pool.close()
    rates = {r.code: r for r in await response_rates(session, campaign_id)}
    assert set(rates) == {"a", "b"}
    assert (rates["a"].responses, rates["a"].teachers, rates["a"].rate) == (1, 4, 0.25)
    assert (rates["a"].codes_issued, rates["a"].codes_used) == (3, 1)
    assert (rates["b"].responses, rates["b"].rate, rates["b"].codes_issued) == (1, None, 0)


async def test_concurrent_use_of_one_code_stores_one_response(
    session: AsyncSession, make_campaign: MakeCampaign, make_school: MakeSchool
) -> None:
    campaign = await make_campaign("t1", instrument="teacher-self-efficacy", audience="teachers")
    campaign_id = campaign.id
    school = (await make_school()).id
    [code] = await issue_codes(session, campaign_id, school, 1)
    await session.commit()
    pool = await _pool(session, size=6)
    try:
        identity = await repository.campaign_identity(pool, "t1")
        assert identity is not None
        coded = _teacher_answers()

        async def attempt(key: bytes) -> str:
            async with pool.acquire() as conn:
                try:
                    out = await service.store_with_code(
                        conn,
                        identity=identity,
                        slug="t1",
                        key=key,
                        coded=coded,
                        code_hash=hash_code(code.replace("-", "")),
                    )
                except Conflict as exc:
                    return exc.code
                return "replayed" if out.replayed else "stored"

        # six different submissions race for one code; then six retries of one submission race
        outcomes = await asyncio.gather(*(attempt(bytes([i]) * 32) for i in range(6)))
        assert sorted(outcomes) == ["access_code_used"] * 5 + ["stored"]
        winner = bytes([outcomes.index("stored")]) * 32
        retries = await asyncio.gather(*(attempt(winner) for _ in range(6)))
        assert retries == ["replayed"] * 6
    finally:
        await pool.close()
    assert (await session.scalar(text("SELECT count(*) FROM responses"))) == 1


async def test_closed_campaign_does_not_spend_the_code(
    session: AsyncSession, make_campaign: MakeCampaign, make_school: MakeSchool
) -> None:
    campaign = await make_campaign("t1", instrument="teacher-self-efficacy", audience="teachers", status="closed")
    campaign_id = campaign.id
    [code] = await issue_codes(session, campaign_id, (await make_school()).id, 1)
    await session.commit()
    pool = await _pool(session)
    try:
        identity = await repository.campaign_identity(pool, "t1")
        assert identity is not None
        async with pool.acquire() as conn:
            with pytest.raises(Exception, match="closed"):
                await service.store_with_code(
                    conn,
                    identity=identity,
                    slug="t1",
                    key=b"k" * 32,
                    coded=_teacher_answers(),
                    code_hash=hash_code(code.replace("-", "")),
                )
    finally:
        await pool.close()
    assert (await session.scalar(text("SELECT count(*) FROM access_codes WHERE used"))) == 0


def test_code_sheet_and_csv() -> None:
    campaign = SimpleNamespace(slug="teachers-2026", title="Pedagogu aptauja <2026>")
    school = SimpleNamespace(name="=Rīgas 1. vidusskola", code="r1")
    codes = ["ABCD-EFGH-JK", "MNPQ-RSTU-VW"]
    html = render_code_sheet(codes, campaign, school, "https://aptauja.example.lv/")
    assert '<html lang="lv">' in html
    assert html.count('class="slip"') == 2 and "ABCD-EFGH-JK" in html and "MNPQ-RSTU-VW" in html
    assert "https://aptauja.example.lv/s/teachers-2026" in html
    assert "&lt;2026&gt;" in html  # escaped
    rows = list(
        csv.reader(io.StringIO(codes_csv(codes, campaign, school, "https://aptauja.example.lv").lstrip("\ufeff")))
    )
    assert rows[0] == ["code", "link", "school", "survey"]
    assert rows[1][:2] == ["ABCD-EFGH-JK", "https://aptauja.example.lv/s/teachers-2026"]
    assert rows[1][2].startswith("'=")  # no formula injection


def _teacher_answers() -> object:
    from pmp_surveys.settings import project_root

    [instrument] = [
        i.instrument
        for i in load_instrument_dir(project_root() / "surveys")
        if i.instrument.key == "teacher-self-efficacy"
    ]
    return AnswerValidator(instrument).validate(TEACHER_FORM, from_form=True)


async def _pool(session: AsyncSession, size: int = 2) -> asyncpg.Pool:
    url = session.bind.url.render_as_string(hide_password=False)  # type: ignore[union-attr]
    return await asyncpg.create_pool(**asyncpg_connect_args(url), min_size=1, max_size=size)


async def test_system_columns_do_not_tie_a_response_to_its_code(
    session: AsyncSession, make_campaign: MakeCampaign, make_school: MakeSchool
) -> None:
    """Redeeming and inserting share a transaction, so both rows get its id (xmin); every used
    code of the school is rewritten in it, so no response's xmin singles out one code."""
    campaign = await make_campaign("t1", instrument="teacher-self-efficacy", audience="teachers")
    campaign_id = campaign.id
    school = (await make_school()).id
    codes = await issue_codes(session, campaign_id, school, 3)
    await session.commit()
    pool = await _pool(session)
    try:
        identity = await repository.campaign_identity(pool, "t1")
        assert identity is not None
        for i, code in enumerate(codes[:2]):
            async with pool.acquire() as conn:
                await service.store_with_code(
                    conn,
                    identity=identity,
                    slug="t1",
                    key=bytes([i]) * 32,
                    coded=_teacher_answers(),
                    code_hash=hash_code(code.replace("-", "")),
                )
        used = await pool.fetch("SELECT xmin::text FROM access_codes WHERE used")
        answers = await pool.fetch("SELECT xmin::text FROM responses ORDER BY id")
    finally:
        await pool.close()
    assert len({r[0] for r in used}) == 1  # both used codes carry the latest transaction only
    assert answers[0][0] not in {r[0] for r in used}  # the first response matches no code row


async def test_concurrent_teachers_of_one_school_all_get_in(
    session: AsyncSession, make_campaign: MakeCampaign, make_school: MakeSchool
) -> None:
    campaign = await make_campaign("t1", instrument="teacher-self-efficacy", audience="teachers")
    campaign_id = campaign.id
    codes = await issue_codes(session, campaign_id, (await make_school()).id, 8)
    await session.commit()
    pool = await _pool(session, size=8)
    try:
        identity = await repository.campaign_identity(pool, "t1")
        assert identity is not None
        coded = _teacher_answers()

        async def submit(i: int, code: str) -> bool:
            async with pool.acquire() as conn:
                out = await service.store_with_code(
                    conn,
                    identity=identity,
                    slug="t1",
                    key=bytes([i]) * 32,
                    coded=coded,
                    code_hash=hash_code(code.replace("-", "")),
                )
                return out.replayed

        assert await asyncio.gather(*(submit(i, c) for i, c in enumerate(codes))) == [False] * 8
    finally:
        await pool.close()
    assert (await session.scalar(text("SELECT count(*) FROM access_codes WHERE used"))) == 8
