"""Arrange helpers shared by accounts, admin and access tests: two municipalities, users, sign-in."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.auth import SESSION_COOKIE
from pmp_surveys.accounts.csrf import session_token
from pmp_surveys.accounts.models import User, UserSession
from pmp_surveys.accounts.passwords import hash_password
from pmp_surveys.accounts.service import start_session, token_hash
from pmp_surveys.campaigns.models import Campaign
from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.instruments.repository import InstrumentRepository
from pmp_surveys.instruments.service import sync_instruments
from pmp_surveys.schools.models import School

PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD)  # once: argon2 is slow on purpose
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Place:
    municipality: str
    schools: list[School] = field(default_factory=list)
    teachers_campaign: str = ""
    parents_campaign: str = ""


@dataclass
class World:
    riga: Place
    bauska: Place
    users: dict[str, User]

    def place(self, municipality: str) -> Place:
        return self.riga if municipality == "riga" else self.bauska


@dataclass(frozen=True)
class Signed:
    token: str
    csrf: str


async def _user(session: AsyncSession, email: str, role: str, municipality: str | None, school_id: int | None) -> User:
    user = User(
        email=email,
        name=email.split("@")[0].title(),
        password_hash=PASSWORD_HASH,
        role=role,
        municipality=municipality,
        school_id=school_id,
        active=True,
    )
    session.add(user)
    await session.flush()
    return user


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """A test client that shows redirects instead of following them."""
    async with AsyncTestClient(app=app) as client:
        client.follow_redirects = False
        yield client


@pytest.fixture
async def world(session: AsyncSession, surveys_dir: Path) -> World:
    """Rīga and Bauska, two schools each, a draft teacher and parent campaign each, and users."""
    await sync_instruments(session, load_instrument_dir(surveys_dir))
    places = {}
    for municipality in ("riga", "bauska"):
        place = Place(municipality)
        for n, teachers in ((1, 30), (2, None)):
            school = School(
                municipality=municipality, code=f"{municipality}-s{n}", name=f"School {n} of {municipality}"
            )
            school.teachers = teachers
            session.add(school)
            place.schools.append(school)
        for instrument, audience, mode in (
            ("teacher-self-efficacy", "teachers", "access_code"),
            ("parent-satisfaction", "parents", "public_link"),
        ):
            version = await InstrumentRepository(session).latest(instrument)
            assert version is not None
            slug = f"{municipality}-{audience}"
            session.add(
                Campaign(
                    slug=slug,
                    municipality=municipality,
                    instrument_version_id=version.id,
                    wave=2026,
                    title=f"{audience} {municipality}",
                    status="draft",
                    audience=audience,
                    access_mode=mode,
                )
            )
            if audience == "teachers":
                place.teachers_campaign = slug
            else:
                place.parents_campaign = slug
        places[municipality] = place
    await session.flush()
    users = {
        "operator": await _user(session, "op@example.lv", "operator", None, None),
        "evaluator": await _user(session, "eva@riga.example.lv", "evaluator", "riga", None),
        "other_evaluator": await _user(session, "eva@bauska.example.lv", "evaluator", "bauska", None),
        "coordinator": await _user(
            session, "coord@riga.example.lv", "coordinator", "riga", places["riga"].schools[0].id
        ),
    }
    await session.commit()
    return World(riga=places["riga"], bauska=places["bauska"], users=users)


async def signed_in(session: AsyncSession, user: User) -> Signed:
    """A live session for `user` (what a successful login creates)."""
    token = await start_session(session, user)
    await session.commit()
    row = await session.scalar(select(UserSession).where(UserSession.token_hash == token_hash(token)))
    assert row is not None
    return Signed(token=token, csrf=session_token(row.csrf_secret))


def use(client: AsyncTestClient[Litestar], signed: Signed | None) -> None:
    client.cookies.clear()
    if signed is not None:
        client.cookies.set(SESSION_COOKIE, signed.token)


def csrf_from(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)
