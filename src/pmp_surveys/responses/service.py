"""Submitting answers: validate, store once, acknowledge only what is committed."""

from __future__ import annotations

import hashlib
from datetime import date

import asyncpg

from pmp_surveys.campaigns.service import raise_unless_open
from pmp_surveys.db.pg import Executor
from pmp_surveys.distribution import repository as codes
from pmp_surveys.errors import Conflict, Forbidden, IdempotencyConflict, InvalidInput, NotFound, ValidationFailed
from pmp_surveys.instruments.service import VersionCache
from pmp_surveys.instruments.validation import AnswersInvalid, CodedAnswers
from pmp_surveys.responses import repository
from pmp_surveys.responses.repository import CampaignIdentity
from pmp_surveys.responses.schemas import SubmissionIn, SubmissionOut

MAX_KEY_LENGTH = 200


class CampaignIdentityCache:
    """slug → identity. Identities never change, so entries never go stale; unknown slugs are
    not cached, so a campaign created later is found."""

    def __init__(self) -> None:
        self._by_slug: dict[str, CampaignIdentity] = {}

    async def get(self, db: Executor, slug: str) -> CampaignIdentity:
        identity = self._by_slug.get(slug)
        if identity is None:
            identity = await repository.campaign_identity(db, slug)
            if identity is None:
                raise NotFound("No survey has this link.", code="campaign_not_found")
            self._by_slug[slug] = identity
        return identity


def hash_key(idempotency_key: str | None) -> bytes:
    if idempotency_key is None or not idempotency_key.strip():
        raise InvalidInput(
            "An Idempotency-Key header is required, so a retried submission is stored only once.",
            errors=[
                {
                    "field": "Idempotency-Key",
                    "code": "required",
                    "message": "Send a unique key (for example a UUID) per submission.",
                }
            ],
        )
    if len(idempotency_key) > MAX_KEY_LENGTH or not idempotency_key.isprintable():
        raise InvalidInput(
            "The Idempotency-Key header is not acceptable.",
            errors=[
                {
                    "field": "Idempotency-Key",
                    "code": "invalid",
                    "message": f"Use at most {MAX_KEY_LENGTH} printable characters.",
                }
            ],
        )
    return hashlib.sha256(idempotency_key.encode()).digest()


def field_errors(exc: AnswersInvalid, lang: str) -> ValidationFailed:
    return ValidationFailed(
        "Some answers need attention.",
        errors=[{"field": err.question_id, "code": err.code, "message": err.message(lang)} for err in exc.errors],
    )


async def submit(
    db: Executor,
    *,
    identities: CampaignIdentityCache,
    versions: VersionCache,
    slug: str,
    idempotency_key: str | None,
    submission: SubmissionIn,
    lang: str | None = None,
    school_id: int | None = None,
) -> SubmissionOut:
    """Store one response. Raises the exception tree; never writes anything partial."""
    identity = await identities.get(db, slug)
    if identity.access_mode != "public_link" and school_id is None:
        # School links and access codes are checked by the respondent pages; the API cannot bypass them.
        raise Forbidden(
            "This survey is answered through a school's link or a single-use access code.", code="access_restricted"
        )
    key = hash_key(idempotency_key)
    language = submission.lang or (lang if lang in ("lv", "ru", "uk", "en") else "lv")
    record = await versions.get(db, identity.instrument_version_id)
    try:
        coded = record.validator.validate(submission.answers)
    except AnswersInvalid as exc:
        raise field_errors(exc, language) from exc
    return await store(db, identity=identity, slug=slug, key=key, coded=coded, school_id=school_id)


async def store(
    db: Executor,
    *,
    identity: CampaignIdentity,
    slug: str,
    key: bytes,
    coded: CodedAnswers,
    school_id: int | None,
) -> SubmissionOut:
    stored_on: date | None = await _insert(db, identity, key, coded, school_id)
    if stored_on is not None:
        return SubmissionOut(status="stored", campaign=slug, submitted_on=stored_on, replayed=False)
    # Nothing inserted: either this key was used before, or the campaign does not take answers.
    previous = await repository.find_by_key(db, identity.id, key)
    if previous is not None:
        if previous.fingerprint != coded.fingerprint:
            raise IdempotencyConflict("This Idempotency-Key was already used for different answers; use a new key.")
        return SubmissionOut(status="stored", campaign=slug, submitted_on=previous.submitted_on, replayed=True)
    await _explain_not_open(db, identity.id)
    raise AssertionError("unreachable")  # pragma: no cover


async def _insert(
    db: Executor, identity: CampaignIdentity, key: bytes, coded: CodedAnswers, school_id: int | None
) -> date | None:
    return await repository.insert_if_open(
        db,
        campaign_id=identity.id,
        school_id=school_id,
        key=key,
        fingerprint=coded.fingerprint,
        codes=list(coded.codes),
        numbers=list(coded.numbers) or None,
        texts=dict(coded.texts) or None,
    )


async def _explain_not_open(db: Executor, campaign_id: int) -> None:
    campaign = await repository.campaign_window(db, campaign_id)
    if campaign is None:
        raise NotFound("No survey has this link.", code="campaign_not_found")
    raise_unless_open(campaign)
    # Opened between the insert and this look-up: tell the client to retry; nothing was stored.
    raise IdempotencyConflict("The survey changed state during submission; please submit again.")


async def _redeem_and_insert(
    conn: asyncpg.Connection,
    *,
    identity: CampaignIdentity,
    slug: str,
    key: bytes,
    coded: CodedAnswers,
    code_hash: bytes,
) -> SubmissionOut:
    async with conn.transaction():
        replay = await _replay(conn, slug, identity, key, coded)
        if replay is not None:
            return replay
        school_id = await codes.redeem_code(conn, identity.id, code_hash)
        if school_id is None:
            # A concurrent retry with this key may have committed meanwhile: that is a replay.
            replay = await _replay(conn, slug, identity, key, coded)
            if replay is not None:
                return replay
            if await codes.code_state(conn, identity.id, code_hash):
                raise Conflict("This access code has already been used.", code="access_code_used")
            raise Conflict("This survey has no such access code.", code="access_code_unknown")
        await codes.blur_used_codes(conn, identity.id, school_id)
        stored_on = await _insert(conn, identity, key, coded, school_id)
        if stored_on is not None:
            return SubmissionOut(status="stored", campaign=slug, submitted_on=stored_on, replayed=False)
        # Nothing inserted: undo the redemption before explaining (a replay, or the campaign shut).
        raise _NotInserted
    raise AssertionError("unreachable")  # pragma: no cover


class _NotInserted(Exception):
    """Internal: the insert took nothing, so the code redemption must be rolled back."""


async def store_with_code(
    conn: asyncpg.Connection,
    *,
    identity: CampaignIdentity,
    slug: str,
    key: bytes,
    coded: CodedAnswers,
    code_hash: bytes,
) -> SubmissionOut:
    """Redeem a single-use access code and store the response in one transaction.

    `conn` is an asyncpg connection outside a transaction. A retry with the same key is
    recognised before the code is looked at, so it replays rather than failing as "code already
    used". The code row only flips `used`; nothing links it to the response. Raises
    Conflict(code="access_code_used" | "access_code_unknown") for a spent or wrong code.
    """
    try:
        return await _redeem_and_insert(conn, identity=identity, slug=slug, key=key, coded=coded, code_hash=code_hash)
    except _NotInserted:
        pass
    replay = await _replay(conn, slug, identity, key, coded)
    if replay is not None:
        return replay
    await _explain_not_open(conn, identity.id)
    raise AssertionError("unreachable")  # pragma: no cover


async def _replay(
    db: Executor, slug: str, identity: CampaignIdentity, key: bytes, coded: CodedAnswers
) -> SubmissionOut | None:
    previous = await repository.find_by_key(db, identity.id, key)
    if previous is None:
        return None
    if previous.fingerprint != coded.fingerprint:
        raise IdempotencyConflict("This Idempotency-Key was already used for different answers; use a new key.")
    return SubmissionOut(status="stored", campaign=slug, submitted_on=previous.submitted_on, replayed=True)
