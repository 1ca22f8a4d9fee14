"""Keying in paper questionnaires: the instrument's own validation, optional double entry.

What the evaluator types per question (fast by keyboard, codes as printed on the paper form):

* single choice — the option's code (``2``) or value (``cap``);
* rating — the point (``4``); "don't know" as ``99`` (its stored code) or ``dk``;
* multiple choice — the codes ticked, separated by spaces or commas (``1 3``);
* number and text — as written. Blank = unanswered.

Every keying is validated like a web submission (`AnswerValidator`, with the same messages).
Single entry stores the response at once (mode ``paper``). Double entry stores nothing on the
first keying (kept in ``paper_entries``); the second keying of the same sheet number stores the
response when both agree, else both are kept as a conflict and the differences are shown; a
third keying resolves the conflict and is stored. A sheet number is stored at most once per
campaign (its sha256 is the response's idempotency key). Services flush, never commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.errors import Conflict, ValidationFailed
from pmp_surveys.instruments.coding import DONT_KNOW
from pmp_surveys.instruments.definition import Instrument, LikertQuestion, MultipleQuestion, SingleQuestion
from pmp_surveys.instruments.validation import AnswersInvalid, AnswerValidator, CodedAnswers
from pmp_surveys.responses.models import PaperEntry, Response

RIGA = ZoneInfo("Europe/Riga")
_SHEET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$")


@dataclass(frozen=True)
class Difference:
    question: str
    first: str
    second: str


@dataclass(frozen=True)
class PaperOutcome:
    """`stored`: the response is stored; `first`: waiting for the second keying; `conflict`: the
    two keyings differ (`differences`), key the sheet a third time to resolve."""

    status: Literal["stored", "first", "conflict"]
    sheet: str
    differences: list[Difference] = field(default_factory=list)


def answers_from_keys(instrument: Instrument, fields: dict[str, str]) -> dict[str, Any]:
    """The answers a respondent would have submitted, from what was typed (see module docstring).

    A code that matches no option is passed on as typed, so the validator names the problem.
    """
    answers: dict[str, Any] = {}
    for q in instrument.questions:
        raw = (fields.get(q.id) or "").strip()
        if not raw:
            continue
        if isinstance(q, SingleQuestion):
            by_code = {str(o.code): o.value for o in q.options}
            answers[q.id] = by_code.get(raw, raw)
        elif isinstance(q, MultipleQuestion):
            by_code = {str(o.code): o.value for o in q.options}
            answers[q.id] = [by_code.get(p, p) for p in re.split(r"[\s,;+]+", raw) if p]
        elif isinstance(q, LikertQuestion):
            answers[q.id] = DONT_KNOW if raw.lower() in ("99", "dk", DONT_KNOW) and q.dont_know else raw
        else:
            answers[q.id] = raw
    return answers


def check_sheet(sheet: str) -> str:
    sheet = sheet.strip()
    if not _SHEET.match(sheet):
        raise ValidationFailed(
            "The questionnaire number is missing or not acceptable.",
            errors=[
                {
                    "field": "sheet",
                    "code": "invalid",
                    "message": "Write the number on the paper form (1–32 letters, digits, . _ / -).",
                }
            ],
        )
    return sheet


def validate(validator: AnswerValidator, answers: dict[str, Any], lang: str) -> CodedAnswers:
    try:
        return validator.validate(answers, from_form=True)
    except AnswersInvalid as exc:
        raise ValidationFailed(
            "Some answers need attention.",
            errors=[{"field": e.question_id, "code": e.code, "message": e.message(lang)} for e in exc.errors],
        ) from exc


def sheet_key(campaign_id: int, sheet: str) -> bytes:
    return hashlib.sha256(f"paper\x00{campaign_id}\x00{sheet}".encode()).digest()


def differences(instrument: Instrument, first: dict[str, Any], second: dict[str, Any]) -> list[Difference]:
    """The questions whose answers differ between two keyings, in questionnaire order."""

    def show(value: Any) -> str:
        if value is None:
            return "—"
        return " ".join(map(str, value)) if isinstance(value, list) else str(value)

    out = []
    for q in instrument.questions:
        a, b = first.get(q.id), second.get(q.id)
        if isinstance(a, list) and isinstance(b, list):
            a, b = sorted(a), sorted(b)
        if a != b:
            out.append(Difference(q.id, show(a), show(b)))
    return out


async def _store(session: AsyncSession, campaign: Any, coded: CodedAnswers, sheet: str, school_id: int | None) -> None:
    key = sheet_key(campaign.id, sheet)
    taken = await session.scalar(
        select(func.count())
        .select_from(Response)
        .where(Response.campaign_id == campaign.id, Response.idempotency_key == key)
    )
    if taken:
        raise Conflict(f"Questionnaire {sheet} is already entered in this survey.", code="sheet_entered")
    session.add(
        Response(
            campaign_id=campaign.id,
            instrument_version_id=campaign.instrument_version_id,
            school_id=school_id,
            submitted_on=dt.datetime.now(RIGA).date(),
            idempotency_key=key,
            fingerprint=coded.fingerprint,
            codes=list(coded.codes),
            numbers=list(coded.numbers) or None,
            texts=dict(coded.texts) or None,
            mode="paper",
            source="paper",
        )
    )
    await session.flush()


async def enter_paper(
    session: AsyncSession,
    campaign: Any,
    instrument: Instrument,
    validator: AnswerValidator,
    *,
    sheet: str,
    fields: dict[str, str],
    double: bool,
    school_id: int | None = None,
    lang: str = "lv",
) -> PaperOutcome:
    """Validate one keying of questionnaire `sheet` and store or hold it (module docstring).

    `campaign` has `id` and `instrument_version_id`. Raises ValidationFailed (field errors by
    question id, or `sheet`) and Conflict (the sheet is already stored).
    """
    sheet = check_sheet(sheet)
    answers = answers_from_keys(instrument, fields)
    coded = validate(validator, answers, lang)
    entry = await session.scalar(
        select(PaperEntry).where(PaperEntry.campaign_id == campaign.id, PaperEntry.sheet == sheet).with_for_update()
    )
    if entry is not None and entry.status == "stored":
        raise Conflict(f"Questionnaire {sheet} is already entered in this survey.", code="sheet_entered")
    if not double and entry is None:
        await _store(session, campaign, coded, sheet, school_id)
        session.add(PaperEntry(campaign_id=campaign.id, sheet=sheet, status="stored"))
        await session.flush()
        return PaperOutcome("stored", sheet)
    if entry is None:
        session.add(
            PaperEntry(campaign_id=campaign.id, sheet=sheet, status="first", first=answers | _school(school_id))
        )
        await session.flush()
        return PaperOutcome("first", sheet)
    if entry.status == "first":
        first = dict(entry.first or {})
        diffs = differences(instrument, first, answers)
        if first.get("__school") != school_id:
            diffs.append(Difference("school", str(first.get("__school") or "—"), str(school_id or "—")))
        if diffs:
            entry.status, entry.second, entry.disagreements = "conflict", answers | _school(school_id), len(diffs)
            await session.flush()
            return PaperOutcome("conflict", sheet, diffs)
    # agreed on the second keying, or a third keying resolving a conflict
    await _store(session, campaign, coded, sheet, school_id)
    entry.status, entry.first, entry.second = "stored", None, None
    await session.flush()
    return PaperOutcome("stored", sheet)


def _school(school_id: int | None) -> dict[str, Any]:
    return {"__school": school_id}


@dataclass(frozen=True)
class PaperReport:
    """The state of paper entry in a campaign: sheets by status, disagreement totals, open conflicts."""

    stored: int
    waiting: list[str]
    conflicts: list[tuple[str, list[Difference]]]
    #: Sheets whose first two keyings disagreed (resolved or not), and on how many questions.
    with_disagreement: int
    disagreeing_answers: int


async def paper_report(session: AsyncSession, campaign_id: int, instrument: Instrument) -> PaperReport:
    rows = (
        await session.scalars(
            select(PaperEntry).where(PaperEntry.campaign_id == campaign_id).order_by(PaperEntry.sheet)
        )
    ).all()
    conflicts = [
        (e.sheet, differences(instrument, dict(e.first or {}), dict(e.second or {})))
        for e in rows
        if e.status == "conflict"
    ]
    return PaperReport(
        stored=sum(e.status == "stored" for e in rows),
        waiting=[e.sheet for e in rows if e.status == "first"],
        conflicts=conflicts,
        with_disagreement=sum(e.disagreements > 0 for e in rows),
        disagreeing_answers=sum(e.disagreements for e in rows),
    )
