"""Distribution rules: school links, single-use access codes, and response rates per school.

Codes: 10 characters from a 31-character alphabet without look-alikes (no 0/O, 1/I/L), about
49.5 bits, shown as `ABCD-EFGH-JK`. Only sha256 of the normalised code is stored; the plain
codes are returned once, when issued. Redeeming a code (in `responses.service.store_with_code`)
sets `used` in the same transaction as the response insert and writes no link between them.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.distribution import repository
from pmp_surveys.distribution.models import SchoolLink
from pmp_surveys.distribution.schemas import SchoolRate
from pmp_surveys.errors import NotFound, ValidationFailed

CODE_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH: Final = 10
MAX_CODES_PER_BATCH: Final = 2000
#: A coordinator's largest batch when the school's teacher head-count is unknown (or 0).
COORDINATOR_CAP_UNKNOWN: Final = 200
#: 12 random bytes → 16 URL-safe characters, 96 bits.
TOKEN_BYTES: Final = 12


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """`ABCDEFGHJK` → `ABCD-EFGH-JK` (groups of four, easier to read and type)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize_code(typed: str) -> str | None:
    """The canonical code from what a person typed (case, spaces and hyphens ignored), or None."""
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -\t")
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


def hash_code(code: str) -> bytes:
    """sha256 of a normalised code: what `access_codes.code_hash` holds."""
    return hashlib.sha256(code.encode("ascii")).digest()


def new_link_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def coordinator_batch_cap(teachers: int | None) -> int:
    """A school coordinator's largest batch of codes: the school's teacher head-count + 20 %
    (rounded up), or `COORDINATOR_CAP_UNKNOWN` while the head-count is unknown (None or 0, as
    for the response rate); never more than `MAX_CODES_PER_BATCH`."""
    if not teachers:
        return COORDINATOR_CAP_UNKNOWN
    return min(teachers + -(-teachers // 5), MAX_CODES_PER_BATCH)


def check_coordinator_batch(count: int, teachers: int | None, issued: int = 0) -> None:
    """Raise ValidationFailed (field `count`) unless 1 ≤ count ≤ the coordinator's cap and the
    school's codes of the campaign stay within the cap in total (`issued` already given out: three
    batches of 50 must not give 150 codes for 41 teachers); the error's `value` is the cap, or what
    is left of it."""
    cap = coordinator_batch_cap(teachers)
    if 1 <= count <= cap and issued + count > cap:
        left = max(cap - issued, 0)
        raise ValidationFailed(
            "This school has had nearly all the codes its head-count allows.",
            errors=[
                {
                    "field": "count",
                    "code": "over_total_cap",
                    "message": f"{issued} codes were already issued for this school; {left} more at most "
                    f"(cap {cap} in total). Ask your municipality's evaluator for more.",
                    "value": str(left),
                }
            ],
        )
    if 1 <= count <= cap:
        return
    if teachers:
        code = "over_cap"
        message = f"You can issue 1–{cap} codes at a time: your school's {teachers} teachers + 20%."
    else:
        code = "over_default_cap"
        message = (
            f"You can issue 1–{cap} codes at a time while your school's teacher head-count is unknown; "
            "ask your municipality's evaluator to enter it."
        )
    raise ValidationFailed(
        "Too many or too few codes for one batch.",
        errors=[{"field": "count", "code": code, "message": message, "value": str(cap)}],
    )


async def _school_in_campaign_municipality(session: AsyncSession, campaign_id: int, school_id: int) -> None:
    campaign = await repository.campaign_scope(session, campaign_id)
    if campaign is None:
        raise NotFound("No such campaign.", code="campaign_not_found")
    municipality = await repository.school_municipality(session, school_id)
    if municipality is None or municipality != campaign.municipality:
        raise NotFound("No such school in this campaign's municipality.", code="school_not_found")


async def ensure_school_link(session: AsyncSession, campaign_id: int, school_id: int) -> SchoolLink:
    """The school's link to the campaign, created on first call (safe under concurrent calls)."""
    await _school_in_campaign_municipality(session, campaign_id, school_id)
    token = await repository.link_token(session, campaign_id, school_id)
    if token is None:
        await repository.insert_link(session, campaign_id, school_id, new_link_token())
        token = await repository.link_token(session, campaign_id, school_id)
    link = await session.scalar(select(SchoolLink).where(SchoolLink.token == token))
    assert link is not None
    return link


async def issue_codes(session: AsyncSession, campaign_id: int, school_id: int, count: int) -> list[str]:
    """Create `count` single-use codes for the school; the plain codes are returned only here."""
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise ValidationFailed(
            "The number of codes is out of range.",
            errors=[
                {
                    "field": "count",
                    "code": "out_of_range",
                    "message": f"Issue between 1 and {MAX_CODES_PER_BATCH} codes at a time.",
                }
            ],
        )
    await _school_in_campaign_municipality(session, campaign_id, school_id)
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code())
    plain = sorted(codes)
    await repository.insert_codes(session, campaign_id, school_id, [hash_code(c) for c in plain])
    await session.flush()
    return [format_code(c) for c in plain]


async def response_rates(session: AsyncSession, campaign_id: int) -> list[SchoolRate]:
    """Responses, codes issued and used per school of the campaign's municipality (no answers)."""
    if await repository.campaign_scope(session, campaign_id) is None:
        raise NotFound("No such campaign.", code="campaign_not_found")
    return [
        SchoolRate(
            school_id=row.school_id,
            code=row.code,
            name=row.name,
            teachers=row.teachers,
            responses=row.responses,
            rate=(row.responses / row.teachers) if row.teachers else None,
            codes_issued=row.codes_issued,
            codes_used=row.codes_used,
        )
        for row in await repository.rates(session, campaign_id)
    ]
