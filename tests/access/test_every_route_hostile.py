"""Property over EVERY route of the app (walked from `app.routes`, so a new route is covered
without editing this test): hostile path parameters, query strings and bodies — NUL bytes,
control characters, very long and deeply nested values — get a 4xx (or a 2xx/3xx), never a 500,
whether signed in as an operator or not."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import msgspec
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from pmp_surveys.app import create_app
from pmp_surveys.settings import Settings
from tests.accounts.fixtures import World, signed_in, use

PARAM = re.compile(r"\{(\w+):(\w+)\}")
HOSTILE_TEXT = ["a%00b", "%00", "x" * 300, "..%2F..%2Fetc", "%E2%80%AE%F0%9F%92%A9", "%01%1F"]
HOSTILE_INT = ["0", "-1", str(2**70)]
DEEP = "[" * 5000 + "]" * 5000
#: State-changing routes whose effect would end the test's own session.
SKIP = {("POST", "/admin/logout")}


def _paths(template: str, real: dict[str, str]) -> list[str]:
    """The template with every parameter hostile (one variant per hostile value), and with the
    real values where the test has them but one parameter hostile (to reach deeper code)."""
    params = PARAM.findall(template)
    if not params:
        return [template]

    def fill(choose: Any) -> str:
        return PARAM.sub(lambda m: choose(m.group(1), m.group(2)), template)

    variants = []
    for n in range(max(len(HOSTILE_TEXT), len(HOSTILE_INT))):

        def hostile(name: str, kind: str, n: int = n) -> str:
            pool = HOSTILE_INT if kind == "int" else HOSTILE_TEXT
            return pool[n % len(pool)]

        variants.append(fill(hostile))
        if all(name in real for name, _ in params):
            variants.append(fill(lambda name, kind: real[name]))  # a real address: bodies reach deep
        for target, _ in params:

            def mixed(name: str, kind: str, n: int = n, target: str = target) -> str:
                if name != target and name in real:
                    return real[name]
                return hostile(name, kind, n)

            variants.append(fill(mixed))
    return sorted(set(variants))


def _bodies(csrf: str) -> list[dict[str, Any]]:
    return [
        {"content": '{"answers": {"a": ' + DEEP + "}}", "headers": {"content-type": "application/json"}},
        {"json": {"answers": {"a\x00": "b\x00"}, "title": "t\x00" * 3, "email": "\x00@x.lv"}},
        {
            "json": {
                "title": "x" * 5000,
                "name": "y" * 5000,
                "municipality": "riga",
                "instrument": "parent-satisfaction",
            }
        },
        {
            "data": {
                "csrf_token": csrf,
                "title": "a\x00b",
                "email": "e\x00@x.lv",
                "name": "n\x00",
                "password": "p\x00" * 8,
            }
        },
        {"data": {"csrf_token": csrf, "title": "x" * 500, "municipality": "riga\x00", "wave": "2026\x00"}},
        {"content": b"\x00\xff\xfe garbage", "headers": {"content-type": "application/x-www-form-urlencoded"}},
    ]


async def test_no_route_answers_500_to_hostile_input(settings: Settings, world: World, session: Any) -> None:
    app: Litestar = create_app(msgspec.structs.replace(settings, submit_rate_per_minute=0))
    signed = await signed_in(session, world.users["operator"])
    real = {"slug": world.riga.parents_campaign, "municipality": "riga"}
    failures: list[str] = []
    checked = 0
    statuses: Counter[int] = Counter()
    async with AsyncTestClient(app=app) as client:
        client.follow_redirects = False
        for route in app.routes:
            if not isinstance(route, HTTPRoute) or route.path.startswith("/static"):
                continue
            for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
                if (method, route.path) in SKIP:
                    continue
                for path in _paths(route.path, real):
                    for who in (signed, None):
                        use(client, who)
                        bodies = _bodies(signed.csrf) if method in {"POST", "PUT", "PATCH"} else [{}]
                        for n, body in enumerate(bodies):
                            headers = {"Idempotency-Key": "k\x01" if n % 2 else "k", **body.pop("headers", {})}
                            query = "?lang=%00&x=%01" if n == 1 else "?lang=en"
                            r = await client.request(method, path + query, headers=headers, **body)
                            checked += 1
                            statuses[r.status_code] += 1
                            if r.status_code >= 500:
                                failures.append(
                                    f"{method} {path} ({'operator' if who else 'anonymous'}): {r.status_code}"
                                )
    assert checked > 200
    print(sorted(statuses.items()))
    assert not failures, "\n".join(sorted(set(failures))[:40])


async def test_campaign_title_too_long_or_with_nul_is_a_field_error(
    client: AsyncTestClient[Litestar], world: World, session: Any
) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    body = {"municipality": "riga", "instrument": "resident-perception", "wave": 2026, "audience": "residents"}
    for title in ("x" * 201, "a\x00b", "   "):
        r = await client.post("/api/v1/admin/campaigns", json={**body, "title": title})
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == ["title"]
    r = await client.post("/api/v1/admin/campaigns", json={**body, "title": "x" * 200})
    assert r.status_code == 201
