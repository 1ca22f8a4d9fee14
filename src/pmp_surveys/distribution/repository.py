"""SQL for school links and access codes.

Two kinds of caller: the respondent path runs on the asyncpg pool (`db.pg.Executor`), where
redeeming a code shares the transaction of the response insert; the admin side (issuing codes,
links, rates) runs on a SQLAlchemy `AsyncSession`, inside the request's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import BYTEA
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.db.pg import Executor


@dataclass(frozen=True)
class SchoolLinkTarget:
    school_id: int
    school_name: str


@dataclass(frozen=True)
class RateRow:
    school_id: int
    code: str
    name: str
    teachers: int | None
    responses: int
    codes_issued: int
    codes_used: int


@dataclass(frozen=True)
class CampaignScope:
    id: int
    municipality: str


# --- respondent path (asyncpg) -------------------------------------------------------------

SCHOOL_FOR_LINK = """
    SELECT s.id, s.name FROM school_links AS l JOIN schools AS s ON s.id = l.school_id
     WHERE l.campaign_id = $1 AND l.token = $2
"""
CODE_STATE = "SELECT used FROM access_codes WHERE code_hash = $2 AND campaign_id = $1"
#: Marks the code used and hands back its school; nothing about the response is written here.
REDEEM_CODE = """
    UPDATE access_codes SET used = true
     WHERE code_hash = $2 AND campaign_id = $1 AND NOT used
    RETURNING school_id
"""

#: Rewrites every used code of the school in the redeeming transaction, so all of them carry this
#: transaction's id (xmin): the system columns then tie the new response to "some used code of
#: this school", never to the one code, and earlier responses to no code row at all.
#: Locks in id order so concurrent redemptions cannot deadlock.
BLUR_USED_CODES = """
    UPDATE access_codes SET used = true
     WHERE id IN (SELECT id FROM access_codes
                   WHERE campaign_id = $1 AND school_id = $2 AND used
                   ORDER BY id FOR UPDATE)
"""


async def school_by_token(db: Executor, campaign_id: int, token: str) -> SchoolLinkTarget | None:
    row = await db.fetchrow(SCHOOL_FOR_LINK, campaign_id, token)
    return None if row is None else SchoolLinkTarget(row[0], row[1])


async def code_state(db: Executor, campaign_id: int, code_hash: bytes) -> bool | None:
    """True if used, False if unused, None if this campaign has no such code."""
    row = await db.fetchrow(CODE_STATE, campaign_id, code_hash)
    return None if row is None else bool(row[0])


async def redeem_code(db: Executor, campaign_id: int, code_hash: bytes) -> int | None:
    """Mark an unused code of this campaign used; its school, or None (unknown or already used)."""
    row = await db.fetchrow(REDEEM_CODE, campaign_id, code_hash)
    return None if row is None else int(row[0])


async def blur_used_codes(db: Executor, campaign_id: int, school_id: int) -> None:
    """Call in the redeeming transaction, after `redeem_code` (see BLUR_USED_CODES)."""
    await db.execute(BLUR_USED_CODES, campaign_id, school_id)


# --- admin side (SQLAlchemy session) -------------------------------------------------------

LINK_FOR = text("SELECT token FROM school_links WHERE campaign_id = :campaign_id AND school_id = :school_id")
INSERT_LINK = text(
    """
    INSERT INTO school_links (campaign_id, school_id, token) VALUES (:campaign_id, :school_id, :token)
    ON CONFLICT (campaign_id, school_id) DO NOTHING
    """
)
CAMPAIGN_SCOPE = text("SELECT id, municipality FROM campaigns WHERE id = :campaign_id")
SCHOOL_MUNICIPALITY = text("SELECT municipality FROM schools WHERE id = :school_id")
INSERT_CODE = text(
    "INSERT INTO access_codes (campaign_id, school_id, code_hash, used) VALUES (:campaign_id, :school_id, :hash, false)"
).bindparams(bindparam("hash", type_=BYTEA))
CODES_ISSUED = text("SELECT count(*) FROM access_codes WHERE campaign_id = :campaign_id AND school_id = :school_id")
RATES = text(
    """
    SELECT s.id, s.code, s.name, s.teachers,
           (SELECT count(*) FROM responses AS r WHERE r.campaign_id = :campaign_id AND r.school_id = s.id),
           (SELECT count(*) FROM access_codes AS a WHERE a.campaign_id = :campaign_id AND a.school_id = s.id),
           (SELECT count(*) FROM access_codes AS a
             WHERE a.campaign_id = :campaign_id AND a.school_id = s.id AND a.used)
      FROM schools AS s
     WHERE s.municipality = (SELECT municipality FROM campaigns WHERE id = :campaign_id)
     ORDER BY s.name, s.id
    """
)


async def link_token(session: AsyncSession, campaign_id: int, school_id: int) -> str | None:
    token: str | None = await session.scalar(LINK_FOR, {"campaign_id": campaign_id, "school_id": school_id})
    return token


async def insert_link(session: AsyncSession, campaign_id: int, school_id: int, token: str) -> None:
    await session.execute(INSERT_LINK, {"campaign_id": campaign_id, "school_id": school_id, "token": token})


async def campaign_scope(session: AsyncSession, campaign_id: int) -> CampaignScope | None:
    row = (await session.execute(CAMPAIGN_SCOPE, {"campaign_id": campaign_id})).first()
    return None if row is None else CampaignScope(row[0], row[1])


async def school_municipality(session: AsyncSession, school_id: int) -> str | None:
    municipality: str | None = await session.scalar(SCHOOL_MUNICIPALITY, {"school_id": school_id})
    return municipality


async def insert_codes(session: AsyncSession, campaign_id: int, school_id: int, hashes: Sequence[bytes]) -> None:
    rows = [{"campaign_id": campaign_id, "school_id": school_id, "hash": h} for h in hashes]
    await session.execute(INSERT_CODE, rows)


async def codes_issued(session: AsyncSession, campaign_id: int, school_id: int) -> int:
    issued = await session.scalar(CODES_ISSUED, {"campaign_id": campaign_id, "school_id": school_id})
    return int(issued or 0)


async def rates(session: AsyncSession, campaign_id: int) -> list[RateRow]:
    rows = (await session.execute(RATES, {"campaign_id": campaign_id})).all()
    return [RateRow(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), int(r[6])) for r in rows]
