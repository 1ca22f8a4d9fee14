"""The front door, sign-ins in the audit log, the idle timeout, and the code sheet's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.models import UserSession
from pmp_surveys.accounts.ratelimit import ACCOUNT
from pmp_surveys.accounts.service import SESSION_IDLE, SESSION_LIFETIME
from pmp_surveys.admin.i18n import LANG_COOKIE
from pmp_surveys.audit.models import AuditEntry
from pmp_surveys.campaigns.models import Campaign
from tests.accounts.fixtures import PASSWORD, World, csrf_from, signed_in, use
from tests.accounts.test_auth import login

Client = AsyncTestClient[Litestar]


async def test_front_door_leads_to_the_admin(client: Client) -> None:
    r = await client.get("/")
    assert r.status_code == 303 and r.headers["location"] == "/admin"
    assert (await client.get("/admin")).headers["location"].startswith("/admin/login")


async def actions(session: AsyncSession) -> list[tuple[str, str | None, str]]:
    rows = await session.execute(
        select(AuditEntry.action, AuditEntry.municipality, AuditEntry.object_id).order_by(AuditEntry.id)
    )
    return [(a, m, o) for a, m, o in rows]


async def test_sign_ins_failures_and_lock_outs_are_audited(client: Client, world: World, session: AsyncSession) -> None:
    eva = world.users["evaluator"]
    assert (await login(client, "eva@riga.example.lv", PASSWORD))[0] == 303
    client.cookies.clear()
    assert (await login(client, "eva@riga.example.lv", "wrong password!"))[0] == 401
    assert (await login(client, "hunter2-typed-in-the-wrong-field", "x"))[0] == 401
    for _ in range(ACCOUNT.limit):
        await login(client, "eva@riga.example.lv", "wrong again!!")
    assert (await login(client, "eva@riga.example.lv", PASSWORD))[0] == 429
    logged = await actions(session)
    assert logged[0] == ("auth.sign_in", "riga", str(eva.id))
    assert logged[1] == ("auth.sign_in_failed", "riga", str(eva.id))
    assert logged[2] == ("auth.sign_in_failed", None, "unknown")
    assert logged[-1] == ("auth.locked_out", "riga", str(eva.id))
    details = list(await session.scalars(select(AuditEntry.details)))
    assert not any("hunter2" in str(d) for d in details)


async def test_idle_sessions_end(client: Client, world: World, session: AsyncSession) -> None:
    assert (await login(client, "eva@riga.example.lv", PASSWORD))[0] == 303
    row = await session.scalar(select(UserSession))
    assert row is not None
    assert row.expires_at - datetime.now(UTC) <= SESSION_IDLE  # not 8 hours
    # used 10 minutes later: the expiry slides on
    await session.execute(
        update(UserSession).values(expires_at=datetime.now(UTC) + SESSION_IDLE - timedelta(minutes=10))
    )
    await session.commit()
    assert (await client.get("/admin")).status_code == 200
    slid = await session.scalar(select(UserSession.expires_at).execution_options(populate_existing=True))
    assert slid is not None and slid > datetime.now(UTC) + SESSION_IDLE - timedelta(minutes=2)
    # never past the absolute lifetime
    born = datetime.now(UTC) - SESSION_LIFETIME + timedelta(minutes=5)
    await session.execute(update(UserSession).values(created_at=born, expires_at=born + timedelta(minutes=1)))
    await session.commit()
    assert (await client.get("/admin")).status_code == 303  # idle for longer than allowed: signed out


async def test_code_sheet_follows_the_admin_language(client: Client, world: World, session: AsyncSession) -> None:
    slug, school = world.riga.teachers_campaign, world.riga.schools[0]
    await session.execute(update(Campaign).where(Campaign.slug == slug).values(status="open"))
    await session.commit()
    use(client, await signed_in(session, world.users["evaluator"]))
    client.cookies.set(LANG_COOKIE, "en")
    token = csrf_from((await client.get(f"/admin/campaigns/{slug}")).text)
    sheet = await client.post(
        f"/admin/campaigns/{slug}/schools/{school.id}/codes", data={"csrf_token": token, "count": "2"}
    )
    assert sheet.status_code == 200
    assert '<html lang="en">' in sheet.text and "<main>" in sheet.text and "Enter your single-use code" in sheet.text
    client.cookies.set(LANG_COOKIE, "lv")
    sheet = await client.post(
        f"/admin/campaigns/{slug}/schools/{school.id}/codes", data={"csrf_token": token, "count": "2"}
    )
    assert '<html lang="lv">' in sheet.text and "Ievadiet savu vienreizējo kodu" in sheet.text
