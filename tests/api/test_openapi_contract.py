"""The OpenAPI document is a contract: every operation lists the problem statuses it can return,
the signed-in API names its session cookie, Idempotency-Key is required, exports list their
file types; /schema loads no JavaScript; every HTML response has a CSP; no Content-Type
repeats a parameter."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]


async def test_openapi_is_a_contract(client: Client) -> None:
    doc = (await client.get("/schema/openapi.json")).json()
    assert doc["components"]["securitySchemes"]["session"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "pmp_admin_session",
        "description": "The admin session cookie, set by signing in at /admin/login",
    }
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            responses = op["responses"]
            for status in ("400", "503"):
                assert responses[status]["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, (method, path)
            if path.startswith("/api/v1/admin"):
                assert op["security"] == [{"session": []}] and "401" in responses
    submit = doc["paths"]["/api/v1/campaigns/{slug}/responses"]["post"]
    assert {"409", "410", "422", "429"} <= set(submit["responses"])
    assert "Retry-After" in submit["responses"]["429"]["headers"]
    key = next(p for p in submit["parameters"] if p["name"] == "Idempotency-Key")
    assert key["required"] is True
    export = doc["paths"]["/api/v1/exports/campaigns/{slug}/{file}"]["get"]["responses"]["200"]["content"]
    assert {"text/csv", "application/vnd.apache.parquet", "application/x-spss-sav"} <= set(export)


async def test_schema_page_loads_no_script_and_html_has_csp(client: Client) -> None:
    schema = await client.get("/schema")
    assert schema.status_code == 200
    assert "<script" not in schema.text and "cdn" not in schema.text.lower()
    for path in ("/admin/login", "/s/no-such-survey", "/admin/nothing-here"):
        r = await client.get(path, follow_redirects=False)
        if r.headers.get("content-type", "").startswith("text/html"):
            assert "default-src 'self'" in r.headers["content-security-policy"], path
            assert r.headers["content-type"].count("charset") == 1, r.headers["content-type"]


def test_content_type_parameters_are_not_repeated() -> None:
    from pmp_surveys.web.headers import _dedupe_params

    assert _dedupe_params(b"text/csv; charset=utf-8; charset=utf-8") == b"text/csv; charset=utf-8"
    assert _dedupe_params(b"text/html;charset=utf-8") == b"text/html; charset=utf-8"
    assert _dedupe_params(b"application/json") == b"application/json"
