"""Role × route matrix over every signed-in route of the app, found by walking `app.routes`.

New admin or evaluator routes are covered without editing this file; a route whose path
parameter this file cannot fill fails loudly (add it to `PATH_VALUES`). Public respondent
routes are skipped by prefix.

Expectations, with Rīga as the target municipality:
- anonymous: 401 (JSON) or a redirect to the sign-in page (HTML);
- Rīga's evaluator and an operator: allowed (not 401/403/404, no 5xx);
- Bauska's evaluator: 403/404 for anything of Rīga; a 2xx/3xx only for their own pages,
  never carrying Rīga's data, and no audit entry of Rīga written by them;
- Rīga's coordinator of school 1: only the routes in `COORDINATOR_ALLOWED` (and `SELF_SERVICE`),
  else 403/404.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.app import create_app
from pmp_surveys.audit.models import AuditEntry
from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.settings import Settings
from tests.accounts.fixtures import Signed, World, signed_in, use

PUBLIC_PREFIXES = (
    "/s/",
    "/static",
    "/schema",
    "/healthz",
    "/api/v1/campaigns",  # respondents' API
    "/admin/login",
    "/admin/logout",
    "/admin/invite/",
    "/admin/lang/",
    "/admin/static/",
)

#: (method, path template) a coordinator may use, on their own school's teacher campaign.
COORDINATOR_ALLOWED = {
    ("GET", "/admin"),
    ("GET", "/admin/campaigns"),
    ("GET", "/admin/campaigns/{slug:str}/rates"),
    ("GET", "/api/v1/admin/campaigns"),
    ("GET", "/api/v1/admin/campaigns/{slug:str}"),
    ("GET", "/api/v1/admin/campaigns/{slug:str}/rates"),
}

#: Routes about the signed-in person themselves, open to every role.
SELF_SERVICE = {("GET", "/admin/password"), ("POST", "/admin/password")}

#: path parameter name → value for the target municipality (Rīga).
PATH_VALUES: dict[str, Callable[[World], Any]] = {
    "slug": lambda w: w.riga.teachers_campaign,
    "school_id": lambda w: w.riga.schools[0].id,
    "municipality": lambda w: "riga",
    "wave": lambda w: "2026",
    "instrument": lambda w: "teacher-self-efficacy",
    "file": lambda w: "responses.csv",
}

#: Bodies that pass validation, so the access rule (not the body) decides.
JSON_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/admin/campaigns"): {
        "municipality": "riga",
        "instrument": "parent-satisfaction",
        "wave": 2026,
        "title": "Matrix",
        "audience": "parents",
    },
    ("PATCH", "/api/v1/admin/schools/{school_id:int}"): {"teachers": 5},
}
FORM_FIELDS: dict[tuple[str, str], dict[str, str]] = {
    ("POST", "/admin/campaigns"): {
        "municipality": "riga",
        "instrument": "parent-satisfaction",
        "wave": "2026",
        "title": "Matrix",
        "audience": "parents",
    },
    ("POST", "/admin/schools/{school_id:int}/teachers"): {"teachers": "5"},
    ("POST", "/admin/schools/import"): {"municipality": "riga", "csv_text": "code,teachers\nriga-s1,9\n"},
    ("POST", "/admin/campaigns/{slug:str}/schools/{school_id:int}/codes"): {"count": "2"},
    ("POST", "/admin/users/invite"): {
        "name": "N",
        "email": "n@riga.example.lv",
        "role": "evaluator",
        "municipality": "riga",
    },
}
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def _routes() -> list[tuple[str, str]]:
    app = create_app(Settings(database_url="postgresql+asyncpg://matrix@localhost/unused"))
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(PUBLIC_PREFIXES):
            continue
        for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
            found.append((method, route.path))
    return found


ROUTES = _routes()


def riga_markers(world: World) -> list[str]:
    return [world.riga.teachers_campaign, world.riga.parents_campaign, "riga-s1", "riga-s2", "eva@riga"]


def fill(path: str, world: World) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in PATH_VALUES:
            pytest.fail(f"{path}: no value for path parameter {name!r}; add it to PATH_VALUES")
        return str(PATH_VALUES[name](world))

    return PARAM.sub(value, path)


async def call(
    client: AsyncTestClient[Litestar], method: str, template: str, world: World, signed: Signed | None
) -> Any:
    use(client, signed)
    url = fill(template, world)
    if method == "GET":
        return await client.get(url, params={} if PARAM.search(template) else {"municipality": "riga"})
    if template.startswith("/api/"):
        return await client.request(method, url, json=JSON_BODIES.get((method, template), {}))
    fields = {**FORM_FIELDS.get((method, template), {}), "csrf_token": signed.csrf if signed else ""}
    return await client.request(method, url, data=fields)


def test_the_matrix_sees_the_admin_routes() -> None:
    paths = {p for _, p in ROUTES}
    assert {"/admin", "/admin/campaigns", "/api/v1/admin/campaigns", "/api/v1/admin/schools"} <= paths
    assert not any(p.startswith("/s/") for p in paths)


@pytest.mark.parametrize(("method", "template"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
async def test_role_matrix(
    client: AsyncTestClient[Litestar], world: World, session: AsyncSession, method: str, template: str
) -> None:
    html = not template.startswith("/api/")
    # the teacher campaigns are running (exports and rates skip drafts)
    await session.execute(update(Campaign).where(Campaign.audience == "teachers").values(status="open"))
    await session.commit()

    anonymous = await call(client, method, template, world, None)
    if html:
        assert anonymous.status_code == 303, anonymous.text
        assert anonymous.headers["location"].startswith("/admin/login")
    else:
        assert anonymous.status_code == 401, anonymous.text

    outsider = await call(client, method, template, world, await signed_in(session, world.users["other_evaluator"]))
    if PARAM.search(template):
        assert outsider.status_code in (403, 404), outsider.text
    else:
        assert outsider.status_code < 500 and outsider.status_code not in (401,), outsider.text
    if outsider.status_code < 400:
        for marker in riga_markers(world):
            assert marker not in outsider.text, f"{marker} leaked to Bauska's evaluator"
    leaked = await session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.user_id == world.users["other_evaluator"].id, AuditEntry.municipality == "riga")
    )
    assert leaked == 0

    coordinator = await call(client, method, template, world, await signed_in(session, world.users["coordinator"]))
    if (method, template) in SELF_SERVICE:
        assert coordinator.status_code not in (401, 403, 404) and coordinator.status_code < 500, coordinator.text
    elif (method, template) in COORDINATOR_ALLOWED:
        assert coordinator.status_code == 200, coordinator.text
        assert "riga-s2" not in coordinator.text and "School 2 of riga" not in coordinator.text
    else:
        assert coordinator.status_code in (403, 404), coordinator.text

    for role in ("evaluator", "operator"):
        allowed = await call(client, method, template, world, await signed_in(session, world.users[role]))
        assert allowed.status_code not in (401, 403, 404), f"{role}: {allowed.status_code} {allowed.text[:300]}"
        assert allowed.status_code < 500, f"{role}: {allowed.text[:300]}"
