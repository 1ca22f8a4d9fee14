"""JSON API for submitting answers."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, post
from litestar.datastructures import State
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter

from pmp_surveys.responses import service
from pmp_surveys.responses.schemas import SubmissionIn, SubmissionOut
from pmp_surveys.web.context import context_from


class SubmissionController(Controller):
    path = "/api/v1/campaigns"
    tags = ["respondents"]

    @post(
        "/{slug:str}/responses",
        summary="Submit answers (201 only after commit; a retry with the same key is stored once)",
        status_code=201,
    )
    async def submit(
        self,
        state: State,
        slug: FromPath[str],
        data: JSONBody[SubmissionIn],
        idempotency_key: Annotated[
            str | None,
            HeaderParameter(
                name="Idempotency-Key", required=False, description="A unique key per submission (e.g. a UUID)"
            ),
        ] = None,
        lang: Annotated[str | None, QueryParameter(description="Language of error messages")] = None,
    ) -> Response[SubmissionOut]:
        ctx = context_from(state)
        out = await service.submit(
            ctx.pg,
            identities=ctx.identities,
            versions=ctx.versions,
            slug=slug,
            idempotency_key=idempotency_key,
            submission=data,
            lang=lang,
        )
        headers = {"Idempotent-Replayed": "true"} if out.replayed else {}
        return Response(out, status_code=201, headers=headers)
