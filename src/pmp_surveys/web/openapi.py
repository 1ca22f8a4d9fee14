"""Make the generated OpenAPI document a true contract, in one pass over every operation.

Litestar documents each handler's success status and its own 400; the service also answers
with the statuses of the one exception tree (`errors.py`, mapped in `web/problems.py`), always
as RFC 9457 `application/problem+json`. This pass adds them, with `Retry-After` on 429 and 503;
the session-cookie security scheme on the signed-in API; `Idempotency-Key` as required on the
submission endpoint (a request without one gets 400); and the file variants of the exports.
"""

from __future__ import annotations

from typing import Final

from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    Operation,
    Parameter,
    Reference,
    Schema,
    SecurityScheme,
)
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType

PROBLEM: Final = "application/problem+json"
SESSION_COOKIE: Final = "pmp_admin_session"

_WHY: Final = {
    "400": "Malformed request (bad JSON, wrong shape, control characters, missing header)",
    "401": "Not signed in",
    "403": "Signed in, but not allowed (or a form that did not come from this site)",
    "404": "No such object (or another municipality's)",
    "409": "The object's state forbids it (e.g. not open yet; Idempotency-Key reused with other answers)",
    "410": "The campaign is closed",
    "413": "The body is larger than PMP_MAX_BODY_BYTES",
    "422": "Well-formed, but fields are wrong: one entry per field in `errors`",
    "429": "Rate limited; retry after `Retry-After` seconds",
    "503": "The database is unreachable, read-only or full; retry after `Retry-After` seconds",
}
_SIGNED_IN: Final = ("/api/v1/admin", "/api/v1/exports", "/api/v1/evaluations")
_EXPORT_TYPES: Final = {
    "text/csv": "responses.csv, codebook.csv",
    "application/vnd.apache.parquet": "responses.parquet",
    "application/x-spss-sav": "responses.sav",
    "application/json": "codebook.json",
    "text/html": "codebook.html",
}


def _problem_schema() -> Schema:
    field_error = Schema(
        type=OpenAPIType.OBJECT,
        properties={k: Schema(type=OpenAPIType.STRING) for k in ("field", "code", "message")},
        required=["field", "code", "message"],
    )
    return Schema(
        type=OpenAPIType.OBJECT,
        description="RFC 9457 problem details",
        properties={
            "type": Schema(type=OpenAPIType.STRING, description="a stable code, e.g. validation_failed"),
            "title": Schema(type=OpenAPIType.STRING),
            "status": Schema(type=OpenAPIType.INTEGER),
            "errors": Schema(type=OpenAPIType.ARRAY, items=field_error),
        },
        required=["type", "title", "status"],
    )


def _problem(status: str) -> OpenAPIResponse:
    headers: dict[str, OpenAPIHeader | Reference] | None = None
    if status in ("429", "503"):
        headers = {
            "Retry-After": OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER), description="seconds", required=True)
        }
    return OpenAPIResponse(
        description=_WHY[status],
        headers=headers,
        content={PROBLEM: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))},
    )


def _statuses(path: str, method: str) -> list[str]:
    statuses = ["400", "503"]
    if "{" in path:
        statuses.append("404")
    if path.startswith(_SIGNED_IN):
        statuses += ["401", "403"]
    if method in ("post", "put", "patch"):
        statuses += ["409", "413", "422"]
    if path.endswith("/responses") and method == "post":
        statuses += ["403", "410", "429"]
    return sorted(set(statuses))


def complete(openapi: OpenAPI) -> OpenAPI:
    """Add problem responses, security, required headers and export variants (in place)."""
    components = openapi.components if isinstance(openapi.components, Components) else Components()
    openapi.components = components
    components.schemas = {**(components.schemas or {}), "Problem": _problem_schema()}
    components.security_schemes = {
        **(components.security_schemes or {}),
        "session": SecurityScheme(
            type="apiKey",
            name=SESSION_COOKIE,
            security_scheme_in="cookie",
            description="The admin session cookie, set by signing in at /admin/login",
        ),
    }
    for path, item in (openapi.paths or {}).items():
        for method in ("get", "post", "put", "patch", "delete"):
            operation = getattr(item, method, None)
            if not isinstance(operation, Operation):
                continue
            responses = operation.responses or {}
            for status in _statuses(path, method):
                responses[status] = _problem(status)
            operation.responses = responses
            if path.startswith(_SIGNED_IN):
                operation.security = [{"session": []}]
            for parameter in operation.parameters or []:
                if isinstance(parameter, Parameter) and parameter.name == "Idempotency-Key":
                    parameter.required = True
            if path.startswith("/api/v1/exports") and "200" in responses:
                ok = responses["200"]
                if isinstance(ok, OpenAPIResponse):
                    ok.content = {
                        media: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY))
                        for media in _EXPORT_TYPES
                    }
                    ok.description = "The file named by {file}: " + "; ".join(
                        f"{media}: {files}" for media, files in _EXPORT_TYPES.items()
                    )
    return openapi
