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
  else 403/404; each allowed route with a path parameter is also tried on another school of Rīga,
  on Bauska's campaign and school, and on Rīga's parent campaign: always 404, nothing written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
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
from pmp_surveys.distribution.models import AccessCode, SchoolLink
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
#: Public respondent paths matched exactly (a prefix would also skip e.g. /schema… or /static…).
PUBLIC_PATHS = {"/s", "/"}

#: (method, path template) a coordinator may use, on their own school's teacher campaign.
COORDINATOR_ALLOWED = {
    ("GET", "/admin"),
    ("GET", "/admin/campaigns"),
    ("GET", "/admin/campaigns/{slug:str}/rates"),
    # distributing the teacher questionnaire: their own school only (DESIGN §2)
    ("POST", "/admin/campaigns/{slug:str}/schools/{school_id:int}/link"),
    ("POST", "/admin/campaigns/{slug:str}/schools/{school_id:int}/codes"),
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
    "version": lambda w: 1,  # a stored plan version (seeded from the files)
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
FIGURES_CSV = "municipality,indicator,year,numerator,denominator\nriga,R3,2026,1,2\n"
RIGA_PLAN = (Path(__file__).resolve().parents[2] / "analysis/municipalities/riga.toml").read_text("utf-8")
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
    ("POST", "/admin/figures/preview"): {"municipality": "riga", "csv_text": FIGURES_CSV},
    ("POST", "/admin/figures/import"): {"municipality": "riga", "csv_text": FIGURES_CSV, "filename": "m.csv"},
    ("POST", "/admin/figures/one"): {
        "municipality": "riga",
        "indicator": "R3",
        "year": "2026",
        "numerator": "1",
        "denominator": "2",
    },
    ("POST", "/admin/margins"): {"municipality": "riga", "source": "CSP", "csv_text": "sex,population\nfemale,5\n"},
    ("POST", "/admin/margins/delete"): {"municipality": "riga", "variables": "sex"},
    ("POST", "/admin/plan/upload"): {"municipality": "riga", "toml_text": RIGA_PLAN.replace("0.70", "0.71", 1)},
    ("POST", "/admin/plan/indicator"): {
        "municipality": "riga",
        "indicator": "R1",
        "year": "2026",
        "kind": "at_least",
        "value": "72",
    },
    ("POST", "/admin/activities"): {"municipality": "riga", "year": "2026", "goal": "G", "activity": "A"},
    ("POST", "/admin/users/invite"): {
        "name": "N",
        "email": "n@riga.example.lv",
        "role": "evaluator",
        "municipality": "riga",
    },
}
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")

Values = dict[str, Callable[[World], Any]]
#: What a coordinator of Rīga's school 1 must get 404 for, by the path parameters a route has.
COORDINATOR_ELSEWHERE: list[tuple[str, Values]] = [
    ("another school", {"school_id": lambda w: w.riga.schools[1].id}),
    ("a school of another municipality", {"school_id": lambda w: w.bauska.schools[0].id}),
    (
        "another municipality",
        {"slug": lambda w: w.bauska.teachers_campaign, "school_id": lambda w: w.bauska.schools[0].id},
    ),
    ("a parent campaign", {"slug": lambda w: w.riga.parents_campaign}),
]


def _routes() -> list[tuple[str, str]]:
    app = create_app(Settings(database_url="postgresql+asyncpg://matrix@localhost/unused"))
    found: list[tuple[str, str]] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path.startswith(PUBLIC_PREFIXES) or route.path in PUBLIC_PATHS:
            continue
        for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
            found.append((method, route.path))
    return found


ROUTES = _routes()


def riga_markers(world: World) -> list[str]:
    return [world.riga.teachers_campaign, world.riga.parents_campaign, "riga-s1", "riga-s2", "eva@riga"]


def fill(path: str, world: World, overrides: Values | None = None) -> str:
    values = {**PATH_VALUES, **(overrides or {})}

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            pytest.fail(f"{path}: no value for path parameter {name!r}; add it to PATH_VALUES")
        return str(values[name](world))

    return PARAM.sub(value, path)


async def call(
    client: AsyncTestClient[Litestar],
    method: str,
    template: str,
    world: World,
    signed: Signed | None,
    overrides: Values | None = None,
) -> Any:
    use(client, signed)
    url = fill(template, world, overrides)
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
    # the teacher campaigns are running (exports and rates skip drafts), given out the route's way
    mode = "school_link" if template.endswith("/link") else "access_code"
    await session.execute(
        update(Campaign).where(Campaign.audience == "teachers").values(status="open", access_mode=mode)
    )
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
        await coordinator_elsewhere(client, session, world, method, template)
    else:
        assert coordinator.status_code in (403, 404), coordinator.text

    for role in ("evaluator", "operator"):
        allowed = await call(client, method, template, world, await signed_in(session, world.users[role]))
        assert allowed.status_code not in (401, 403, 404), f"{role}: {allowed.status_code} {allowed.text[:300]}"
        assert allowed.status_code < 500, f"{role}: {allowed.text[:300]}"


async def coordinator_elsewhere(
    client: AsyncTestClient[Litestar], session: AsyncSession, world: World, method: str, template: str
) -> None:
    """An allowed coordinator route, pointed at anything but their own school: 404, nothing written."""
    params = set(PARAM.findall(template))
    coordinator = world.users["coordinator"]
    for what, overrides in COORDINATOR_ELSEWHERE:
        if not set(overrides) <= params:
            continue
        signed = await signed_in(session, coordinator)
        response = await call(client, method, template, world, signed, overrides)
        assert response.status_code == 404, f"coordinator, {what}: {response.status_code} {response.text[:300]}"
    others = [world.riga.schools[1].id, world.bauska.schools[0].id, world.bauska.schools[1].id]
    for table in (AccessCode, SchoolLink):
        written = await session.scalar(select(func.count()).select_from(table).where(table.school_id.in_(others)))
        assert written == 0, f"{table.__tablename__} written for another school by the coordinator"
    foreign = await session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.user_id == coordinator.id, AuditEntry.municipality != "riga")
    )
    assert foreign == 0
