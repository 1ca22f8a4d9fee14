"""Sign-in, sign-out, sessions, cookie flags, the login rate limit and CSRF on admin forms."""

from __future__ import annotations

from pathlib import Path

import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.auth import SESSION_COOKIE
from pmp_surveys.accounts.models import UserSession
from pmp_surveys.app import create_app
from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.settings import Settings
from tests.accounts.fixtures import PASSWORD, World, csrf_from, signed_in, use

Client = AsyncTestClient[Litestar]


async def login(client: Client, email: str, password: str, *, next_: str = "/admin") -> tuple[int, str, str]:
    page = await client.get("/admin/login")
    assert page.status_code == 200
    r = await client.post(
        "/admin/login",
        data={"email": email, "password": password, "csrf_token": csrf_from(page.text), "next": next_},
    )
    return r.status_code, r.headers.get("location", ""), r.headers.get("set-cookie", "")


async def test_login_sets_a_safe_session_cookie_and_logout_ends_it(
    client: Client, world: World, session: AsyncSession
) -> None:
    status, location, cookie = await login(client, "EVA@riga.example.lv ", PASSWORD)
    assert (status, location) == (303, "/admin")
    assert f"{SESSION_COOKIE}=" in cookie
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert "secure" not in flags  # settings.secure_cookies is off in tests
    home = await client.get("/admin")
    assert home.status_code == 200 and "Eva" in home.text
    assert await session.scalar(select(func.count()).select_from(UserSession)) == 1

    out = await client.post("/admin/logout", data={"csrf_token": csrf_from(home.text)})
    assert out.status_code == 303 and out.headers["location"] == "/admin/login"
    assert await session.scalar(select(func.count()).select_from(UserSession)) == 0
    again = await client.get("/admin")
    assert again.status_code == 303 and again.headers["location"].startswith("/admin/login")


async def test_secure_flag_when_configured(settings: Settings, world: World) -> None:
    app = create_app(msgspec.structs.replace(settings, secure_cookies=True))
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as client:
        client.follow_redirects = False
        status, _, cookie = await login(client, "eva@riga.example.lv", PASSWORD)
    assert status == 303
    assert "secure" in cookie.lower()


async def test_wrong_password_and_unknown_email_are_refused_alike(client: Client, world: World) -> None:
    status, _, cookie = await login(client, "eva@riga.example.lv", "wrong password!")
    assert status == 401 and SESSION_COOKIE not in cookie
    status2, _, cookie2 = await login(client, "nobody@riga.example.lv", PASSWORD)
    assert status2 == 401 and SESSION_COOKIE not in cookie2
    assert (await client.get("/admin")).status_code == 303


async def test_five_failures_slow_the_email_down(client: Client, world: World) -> None:
    for _ in range(5):
        status, _, _ = await login(client, "eva@riga.example.lv", "guess guess guess")
        assert status == 401
    client.cookies.set("pmp_admin_lang", "en")
    page = await client.get("/admin/login")
    r = await client.post(
        "/admin/login",
        data={"email": "eva@riga.example.lv", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
    )
    assert r.status_code == 429
    assert "Too many failed sign-ins" in r.text
    assert 0 < int(r.headers["retry-after"]) <= 15 * 60
    assert SESSION_COOKIE not in r.headers.get("set-cookie", "")


async def test_one_client_guessing_many_emails_is_limited(client: Client, world: World) -> None:
    for n in range(10):  # accounts.ratelimit.ADDRESS.limit
        status, _, _ = await login(client, f"guess{n}@riga.example.lv", "guess guess guess")
        assert status == 401
    status, _, _ = await login(client, "op@example.lv", PASSWORD)
    assert status == 429


async def test_expired_session_is_signed_out(client: Client, world: World, session: AsyncSession) -> None:
    signed = await signed_in(session, world.users["evaluator"])
    use(client, signed)
    assert (await client.get("/admin")).status_code == 200
    assert (await client.get("/api/v1/admin/campaigns")).status_code == 200
    await session.execute(update(UserSession).values(expires_at=func.now() - func.make_interval(0, 0, 0, 0, 0, 1)))
    await session.commit()
    page = await client.get("/admin/campaigns")
    assert page.status_code == 303 and page.headers["location"] == "/admin/login?next=/admin/campaigns"
    api = await client.get("/api/v1/admin/campaigns")
    assert api.status_code == 401
    assert api.headers["content-type"].startswith("application/problem+json")


async def test_api_without_session_is_401_problem(client: Client, world: World) -> None:
    r = await client.get("/api/v1/admin/campaigns")
    assert r.status_code == 401 and r.json()["type"] == "unauthorized"
    use(client, None)
    client.cookies.set(SESSION_COOKIE, "made-up-token")
    assert (await client.get("/api/v1/admin/schools")).status_code == 401


async def test_login_form_without_csrf_is_403(client: Client, world: World) -> None:
    r = await client.post("/admin/login", data={"email": "eva@riga.example.lv", "password": PASSWORD})
    assert r.status_code == 403
    assert SESSION_COOKIE not in r.headers.get("set-cookie", "")


async def test_admin_posts_need_the_sessions_csrf_token(client: Client, world: World, session: AsyncSession) -> None:
    signed = await signed_in(session, world.users["evaluator"])
    other = await signed_in(session, world.users["operator"])
    use(client, signed)
    slug = world.riga.parents_campaign
    assert (await client.post(f"/admin/campaigns/{slug}/open", data={})).status_code == 403
    assert (await client.post(f"/admin/campaigns/{slug}/open", data={"csrf_token": "0" * 64})).status_code == 403
    # a token from another session does not work either
    assert (await client.post(f"/admin/campaigns/{slug}/open", data={"csrf_token": other.csrf})).status_code == 403
    campaign = await session.scalar(select(Campaign).where(Campaign.slug == slug))
    await session.refresh(campaign)
    assert campaign is not None and campaign.status == "draft"
    ok = await client.post(f"/admin/campaigns/{slug}/open", data={"csrf_token": signed.csrf})
    assert ok.status_code == 303


async def test_login_next_is_local_only(client: Client, world: World) -> None:
    status, location, _ = await login(client, "eva@riga.example.lv", PASSWORD, next_="//evil.example/admin")
    assert (status, location) == (303, "/admin")
    use(client, None)
    status, location, _ = await login(client, "eva@riga.example.lv", PASSWORD, next_="/admin/schools")
    assert location == "/admin/schools"


async def test_workers_share_the_generated_key(settings: Settings, world: World, tmp_path: Path) -> None:
    """Without PMP_SECRET_KEY, a key is generated into the data dir, so a login form served by
    one worker process is accepted by another."""
    shared = msgspec.structs.replace(settings, data_dir=tmp_path, secret_key=None)
    async with AsyncTestClient(app=create_app(shared)) as one, AsyncTestClient(app=create_app(shared)) as two:
        page = await one.get("/admin/login")
        two.cookies = one.cookies
        two.follow_redirects = False
        r = await two.post(
            "/admin/login",
            data={"email": "eva@riga.example.lv", "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        )
    assert r.status_code == 303
    key = tmp_path / "secret_key"
    assert key.exists() and (key.stat().st_mode & 0o777) == 0o600
