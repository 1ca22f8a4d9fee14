"""Invitations: one-time links from the admin pages and the command line; operators via stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.auth import SESSION_COOKIE
from pmp_surveys.accounts.models import Invitation, User
from pmp_surveys.accounts.passwords import verify_password
from pmp_surveys.audit.models import AuditEntry
from tests.accounts.fixtures import PASSWORD, World, csrf_from, signed_in, use

Client = AsyncTestClient[Litestar]
CLI = str(Path(sys.executable).parent / "pmp-surveys")


async def invite_from_page(client: Client, fields: dict[str, str]) -> tuple[int, str]:
    page = await client.get("/admin/users")
    assert page.status_code == 200
    r = await client.post("/admin/users/invite", data={**fields, "csrf_token": csrf_from(page.text)})
    return r.status_code, r.text


def link_in(html: str) -> str:
    start = html.index("/admin/invite/")
    return html[start : html.index("<", start)]


async def test_evaluator_invites_a_coordinator_who_sets_a_password(
    client: Client, world: World, session: AsyncSession
) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    status, html = await invite_from_page(
        client, {"name": "Anna Skola", "email": "anna@riga.example.lv", "role": "coordinator", "school": "riga-s1"}
    )
    assert status == 200, html
    path = link_in(html)
    stored = await session.scalar(select(Invitation).where(Invitation.email == "anna@riga.example.lv"))
    assert stored is not None and stored.municipality == "riga" and stored.school_id == world.riga.schools[0].id
    assert path.split("/")[-1].encode() not in stored.token_hash  # only the hash is stored
    assert stored.expires_at - datetime.now(UTC) > timedelta(days=6, hours=23)

    use(client, None)
    form = await client.get(path)
    assert form.status_code == 200 and "anna@riga.example.lv" in form.text
    mismatch = await client.post(
        path, data={"password": "a long password", "password_again": "different!!", "csrf_token": csrf_from(form.text)}
    )
    assert mismatch.status_code == 422
    weak = await client.post(
        path, data={"password": "short", "password_again": "short", "csrf_token": csrf_from(form.text)}
    )
    assert weak.status_code == 422
    done = await client.post(
        path,
        data={"password": "a long password", "password_again": "a long password", "csrf_token": csrf_from(form.text)},
    )
    assert done.status_code == 303 and SESSION_COOKIE in done.headers["set-cookie"]
    user = await session.scalar(select(User).where(User.email == "anna@riga.example.lv"))
    assert user is not None and user.role == "coordinator" and verify_password(user.password_hash, "a long password")
    assert user.password_hash.startswith("$argon2id$")
    # the link works once
    assert (await client.get(path)).status_code == 410
    actions = set(await session.scalars(select(AuditEntry.action)))
    assert {"user.invite", "user.accept_invitation"} <= actions


async def test_evaluators_invite_only_into_their_municipality(
    client: Client, world: World, session: AsyncSession
) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    # the municipality field is ignored for evaluators: the invitation is for Rīga
    status, _ = await invite_from_page(
        client, {"name": "X", "email": "x@bauska.example.lv", "role": "evaluator", "municipality": "bauska"}
    )
    assert status == 200
    invitation = await session.scalar(select(Invitation).where(Invitation.email == "x@bauska.example.lv"))
    assert invitation is not None and invitation.municipality == "riga"
    # no operators, and no schools of other municipalities
    status, _ = await invite_from_page(client, {"name": "Op", "email": "op2@example.lv", "role": "operator"})
    assert status == 403
    status, html = await invite_from_page(
        client, {"name": "C", "email": "c@example.lv", "role": "coordinator", "school": "bauska-s1"}
    )
    assert status == 422 and "bauska-s1" in html


async def test_expired_invitation_is_gone(client: Client, world: World, session: AsyncSession) -> None:
    use(client, await signed_in(session, world.users["operator"]))
    status, html = await invite_from_page(
        client, {"name": "Late", "email": "late@example.lv", "role": "evaluator", "municipality": "bauska"}
    )
    assert status == 200
    path = link_in(html)
    await session.execute(update(Invitation).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    await session.commit()
    use(client, None)
    assert (await client.get(path)).status_code == 410
    assert (await client.get("/admin/invite/not-a-real-token")).status_code == 404


def run_cli(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PMP_DATABASE_URL": database_url, "PMP_PUBLIC_URL": "https://pmp.example.lv"}
    return subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120, check=False)


async def test_cli_create_operator_invite_and_list(database_url: str, world: World, session: AsyncSession) -> None:
    made = run_cli(
        database_url,
        "users", "create-operator", "--email", "Root@Example.lv", "--name", "Root", "--password-stdin",
        stdin="a long operator password\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    user = await session.scalar(select(User).where(User.email == "root@example.lv"))
    assert user is not None and user.role == "operator" and user.municipality is None
    assert verify_password(user.password_hash, "a long operator password")

    weak = run_cli(
        database_url, "users", "create-operator", "--email", "w@example.lv", "--name", "W", "--password-stdin",
        stdin="short\n",
    )  # fmt: skip
    assert weak.returncode == 1 and "password" in weak.stderr

    invited = run_cli(
        database_url, "users", "invite", "--email", "e@bauska.lv", "--role", "evaluator", "--municipality", "bauska"
    )
    assert invited.returncode == 0, invited.stderr
    assert "https://pmp.example.lv/admin/invite/" in invited.stdout

    unknown = run_cli(
        database_url, "users", "invite", "--email", "e2@x.lv", "--role", "evaluator", "--municipality", "atlantis"
    )
    assert unknown.returncode == 1 and "municipality" in unknown.stderr

    listed = run_cli(database_url, "users", "list")
    assert listed.returncode == 0 and "root@example.lv" in listed.stdout


async def test_cli_set_password_and_deactivate_end_sessions(
    client: Client, database_url: str, world: World, session: AsyncSession
) -> None:
    use(client, await signed_in(session, world.users["evaluator"]))
    assert (await client.get("/admin")).status_code == 200
    done = run_cli(
        database_url, "users", "set-password", "--email", "eva@riga.example.lv", "--password-stdin",
        stdin="a brand new password\n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (await client.get("/admin")).status_code == 303  # signed out
    user = await session.scalar(
        select(User).where(User.email == "eva@riga.example.lv").execution_options(populate_existing=True)
    )
    assert user is not None and verify_password(user.password_hash, "a brand new password")

    use(client, await signed_in(session, world.users["evaluator"]))
    off = run_cli(database_url, "users", "deactivate", "--email", "eva@riga.example.lv")
    assert off.returncode == 0, off.stderr
    assert (await client.get("/api/v1/admin/campaigns")).status_code == 401
    page = await client.get("/admin/login")
    refused = await client.post(
        "/admin/login",
        data={"email": "eva@riga.example.lv", "password": "a brand new password", "csrf_token": csrf_from(page.text)},
    )
    assert refused.status_code == 401
    missing = run_cli(database_url, "users", "deactivate", "--email", "nobody@x.lv")
    assert missing.returncode == 1 and "No user" in missing.stderr


async def test_change_own_password(client: Client, world: World, session: AsyncSession) -> None:
    mine = await signed_in(session, world.users["operator"])
    elsewhere = await signed_in(session, world.users["operator"])
    use(client, mine)
    page = await client.get("/admin/password")
    assert page.status_code == 200
    token = csrf_from(page.text)
    wrong = await client.post(
        "/admin/password",
        data={"csrf_token": token, "current": "nope", "password": "x" * 12, "password_again": "x" * 12},
    )
    assert wrong.status_code == 422 and "Pašreizējā parole nav pareiza." in wrong.text
    ok = await client.post(
        "/admin/password",
        data={
            "csrf_token": token,
            "current": PASSWORD,
            "password": "new password 1",
            "password_again": "new password 1",
        },
    )
    assert ok.status_code == 200
    assert (await client.get("/admin")).status_code == 200  # this session stays
    use(client, elsewhere)
    assert (await client.get("/admin")).status_code == 303  # others end
    assert "user.password" in set(await session.scalars(select(AuditEntry.action)))
