"""The plan's activities results table, kept per year by evaluators (Bauska's plan §3.5; Rīga's
plan asks for a regular review of how activities are carried out). Goes into the mid-term report
and workbook beside the indicators (:func:`activity_rows`)."""

from __future__ import annotations

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.audit.service import record
from pmp_surveys.catalogue.schema import Municipality
from pmp_surveys.errors import NotFound, ValidationFailed
from pmp_surveys.evaldata.models import PlanActivity
from pmp_surveys.evaldata.repository import EvalDataRepository

__all__ = ["ActivityForm", "ActivityRow", "activity_rows", "delete_activity", "list_activities", "save_activity"]

LIMITS = {"goal": 300, "activity": 500, "funding": 200, "planned_result": 4000, "achieved": 4000}
LIMITS |= {"impact": 4000, "factors": 4000}


class ActivityForm(msgspec.Struct, kw_only=True):
    year: int
    goal: str
    activity: str
    funding: str = ""
    planned_result: str = ""
    achieved: str = ""
    indicator: str | None = None
    survey_item: str | None = None
    impact: str = ""
    factors: str = ""


class ActivityRow(msgspec.Struct, frozen=True, kw_only=True):
    """One row as the report shows it."""

    id: int
    year: int
    goal: str
    activity: str
    funding: str
    planned_result: str
    achieved: str
    indicator: str | None
    survey_item: str | None
    impact: str
    factors: str


def _row(a: PlanActivity) -> ActivityRow:
    return ActivityRow(
        id=a.id,
        year=a.year,
        goal=a.goal,
        activity=a.activity,
        funding=a.funding,
        planned_result=a.planned_result,
        achieved=a.achieved,
        indicator=a.indicator,
        survey_item=a.survey_item,
        impact=a.impact,
        factors=a.factors,
    )


def _check(form: ActivityForm, municipality: Municipality, instruments: set[str]) -> list[dict[str, str]]:
    errors = []
    if not 2000 <= form.year <= 2100:
        errors.append({"field": "year", "code": "out_of_range", "message": "A year 2000–2100."})
    for name in ("goal", "activity"):
        if not getattr(form, name).strip():
            errors.append({"field": name, "code": "required", "message": "Required."})
    for name, limit in LIMITS.items():
        if len(getattr(form, name)) > limit:
            errors.append({"field": name, "code": "too_long", "message": f"At most {limit} characters."})
    if form.indicator and form.indicator not in {i.code for i in municipality.indicators}:
        errors.append({"field": "indicator", "code": "unknown", "message": f"No indicator {form.indicator!r}."})
    if form.survey_item:
        key, _, question = form.survey_item.partition(":")
        if key not in instruments or not question:
            errors.append(
                {
                    "field": "survey_item",
                    "code": "unknown",
                    "message": "Write instrument:question, e.g. teacher-self-efficacy:attended_supervision.",
                }
            )
    return errors


async def save_activity(
    session: AsyncSession,
    user: CurrentUser,
    municipality: Municipality,
    form: ActivityForm,
    instruments: set[str],
    activity_id: int | None = None,
) -> ActivityRow:
    """Add a row, or replace row `activity_id` of the municipality; audit-logged. Raises
    ValidationFailed with field errors (nothing written) or NotFound for another's row."""
    require_evaluator(user, municipality.code)
    errors = _check(form, municipality, instruments)
    if errors:
        raise ValidationFailed("The activity has errors.", errors=errors)
    values = msgspec.structs.asdict(form)
    values["indicator"] = form.indicator or None
    values["survey_item"] = form.survey_item or None
    repo = EvalDataRepository(session)
    if activity_id is None:
        row = PlanActivity(municipality=municipality.code, **values)
        await repo.add_activity(row)
    else:
        found = await repo.activity(activity_id)
        if found is None or found.municipality != municipality.code:
            raise NotFound("No such activity.")
        row = found
        for k, v in values.items():
            setattr(row, k, v)
    await session.flush()
    action = "activity.add" if activity_id is None else "activity.update"
    await record(session, user, action, "plan_activity", row.id, municipality.code, {"year": form.year})
    return _row(row)


async def delete_activity(session: AsyncSession, user: CurrentUser, municipality: str, activity_id: int) -> None:
    require_evaluator(user, municipality)
    if not await EvalDataRepository(session).delete_activity(municipality, activity_id):
        raise NotFound("No such activity.")
    await record(session, user, "activity.delete", "plan_activity", activity_id, municipality, {})


async def activity_rows(session: AsyncSession, municipality: str, up_to_year: int | None = None) -> list[ActivityRow]:
    """Rows of the municipality by year, goal and entry order (years ≤ `up_to_year` if given)."""
    return [_row(a) for a in await EvalDataRepository(session).activities(municipality, up_to_year)]


async def list_activities(session: AsyncSession, user: CurrentUser, municipality: str) -> list[ActivityRow]:
    require_evaluator(user, municipality)
    return await activity_rows(session, municipality)
