"""JSON/CSV API of the indicator evaluation, for evaluators of the municipality (and operators)."""

from __future__ import annotations

import re
from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.accounts.auth import provide_user
from pmp_surveys.errors import NotFound, ValidationFailed
from pmp_surveys.indicators.baseline import BaselineChoice
from pmp_surveys.indicators.baseline import parse_baseline as parse
from pmp_surveys.indicators.service import evaluate_municipality
from pmp_surveys.plans.service import plan_version
from pmp_surveys.web.context import context_from
from pmp_surveys.web.dependencies import provide_report_session

_WAVE = re.compile(r"^(?P<year>\d{4})(?P<suffix>\.csv|\.json)?$")


def _field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[{"field": field, "code": "invalid", "message": message}])


def parse_baseline(raw: str | None) -> BaselineChoice:
    try:
        return parse(raw)
    except ValueError:
        raise _field_error("baseline", "baseline is 'auto', 'plan', 'published' or a wave year (e.g. 2024).") from None


class EvaluationController(Controller):
    path = "/api/v1/evaluations"
    tags = ["evaluation"]
    dependencies = {"user": Provide(provide_user), "session": Provide(provide_report_session)}

    @get(
        "/{municipality:str}/{wave:str}",
        summary="Every indicator of a municipality for a wave: value, CI, change, target verdict",
        description="`wave` is a year; `2026.csv` gives the same as CSV. Figures of groups under the "
        "municipality's suppression threshold are withheld.",
    )
    async def show(
        self,
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        municipality: FromPath[str],
        wave: FromPath[str],
        baseline: Annotated[str | None, QueryParameter(description="a wave year or 'published'")] = None,
        catalogue: Annotated[
            int | None, QueryParameter(ge=1, description="a stored plan version (default: the latest)")
        ] = None,
    ) -> Response[Any]:
        require_evaluator(user, municipality)
        match = _WAVE.match(wave)
        if match is None or not 2000 <= int(match["year"]) <= 2100:
            raise _field_error("wave", "wave is a year such as 2026, optionally followed by .csv or .json.")
        choice = parse_baseline(baseline)
        if municipality not in context_from(state).catalogue.municipalities:
            raise NotFound("Not found.")
        plan = await plan_version(session, municipality, catalogue)  # NotFound for an unknown version
        evaluation = await evaluate_municipality(
            session,
            plan.municipality,
            int(match["year"]),
            baseline=choice,
            suppression_threshold=context_from(state).settings.suppression_threshold,
        )
        evaluation = msgspec.structs.replace(evaluation, catalogue_version=plan.ref)
        if match["suffix"] == ".csv":
            name = f"evaluation-{municipality}-{match['year']}.csv"
            return Response(
                content=evaluation.to_csv(),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}"'},
            )
        return Response(content=evaluation.to_json(), media_type="application/json")
