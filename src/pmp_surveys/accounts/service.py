"""Accounts: operators, invitations, sign-in and server-side sessions.

A session token lives only in the browser's cookie; the table keeps its sha256, the expiry and
the secret from which CSRF tokens are derived. Invitations work the same way: the link carries
the token, the table its hash.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import get_args

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, Role
from pmp_surveys.accounts.models import Invitation, User, UserSession
from pmp_surveys.accounts.passwords import (
    hash_password_async,
    needs_rehash,
    password_problem,
    verify_password_async,
)
from pmp_surveys.accounts.repository import InvitationRepository, SessionRepository, UserRepository
from pmp_surveys.audit.service import record
from pmp_surveys.errors import Conflict, Forbidden, Gone, NotFound, ValidationFailed
from pmp_surveys.schools.repository import SchoolRepository

SESSION_LIFETIME = timedelta(hours=8)
#: A session unused this long ends (its expiry slides with each request, never past the lifetime).
SESSION_IDLE = timedelta(minutes=30)
#: Slide the expiry at most once a minute (one UPDATE, not one per request).
_SLIDE_STEP = timedelta(minutes=1)
INVITATION_LIFETIME = timedelta(days=7)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROLES: tuple[str, ...] = get_args(Role)


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def normalize_email(email: str) -> str:
    return email.strip().lower()


def current_user(user: User, csrf_secret: bytes = b"") -> CurrentUser:
    return CurrentUser(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,  # type: ignore[arg-type]
        municipality=user.municipality,
        school_id=user.school_id,
        csrf_secret=csrf_secret,
    )


class UserRead(msgspec.Struct, kw_only=True):
    id: int
    email: str
    name: str
    role: Role
    municipality: str | None
    school_id: int | None
    active: bool


def user_read(user: User) -> UserRead:
    return msgspec.convert(user, UserRead, from_attributes=True)


def _field_errors(email: str, name: str, password: str | None) -> list[dict[str, str]]:
    errors = []
    if not EMAIL_RE.match(email) or len(email) > 254:
        errors.append({"field": "email", "code": "invalid", "message": "Enter a valid e-mail address."})
    if not name.strip() or len(name) > 200:
        errors.append({"field": "name", "code": "invalid", "message": "Enter a name (up to 200 characters)."})
    if password is not None and (problem := password_problem(password)):
        errors.append({"field": "password", "code": "weak", "message": problem})
    return errors


async def create_operator(session: AsyncSession, *, email: str, name: str, password: str) -> User:
    """An operator account (from the server's command line)."""
    email = normalize_email(email)
    errors = _field_errors(email, name, password)
    repo = UserRepository(session)
    if not errors and await repo.by_email(email) is not None:
        errors.append({"field": "email", "code": "taken", "message": "A user with this e-mail exists."})
    if errors:
        raise ValidationFailed("The operator cannot be created.", errors=errors)
    user = await repo.add(
        User(
            email=email,
            name=name.strip(),
            password_hash=await hash_password_async(password),
            role="operator",
            active=True,
        )
    )
    await record(session, None, "user.create", "user", user.id, None, {"email": email, "role": "operator"})
    return user


async def authenticate(session: AsyncSession, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same time spent either way)."""
    user = await UserRepository(session).by_email(normalize_email(email))
    ok = await verify_password_async(None if user is None else user.password_hash, password)
    if user is None or not ok or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = await hash_password_async(password)
    return user


async def start_session(session: AsyncSession, user: User, *, now: datetime | None = None) -> str:
    """Create a session; returns the token for the cookie (shown nowhere else)."""
    now = now or datetime.now(UTC)
    repo = SessionRepository(session)
    await repo.delete_expired(now)
    token = secrets.token_urlsafe(32)
    await repo.add(
        UserSession(
            token_hash=token_hash(token),
            user_id=user.id,
            csrf_secret=secrets.token_bytes(32),
            expires_at=now + min(SESSION_IDLE, SESSION_LIFETIME),
        )
    )
    return token


async def user_for_token(session: AsyncSession, token: str, *, now: datetime | None = None) -> CurrentUser | None:
    found = await SessionRepository(session).live_with_user(token_hash(token), now or datetime.now(UTC))
    if found is None:
        return None
    row, user = found
    now = now or datetime.now(UTC)
    slid = min(now + SESSION_IDLE, row.created_at + SESSION_LIFETIME)
    if slid - row.expires_at >= _SLIDE_STEP:  # idle timeout: the session lives on while it is used
        row.expires_at = slid  # the caller commits (accounts.auth.provide_optional_user)
    return current_user(user, row.csrf_secret)


async def end_session(session: AsyncSession, token: str) -> None:
    await SessionRepository(session).delete(token_hash(token))


@dataclass(frozen=True)
class IssuedInvitation:
    token: str
    invitation: Invitation

    def path(self) -> str:
        return f"/admin/invite/{self.token}"


async def invite(
    session: AsyncSession,
    by: CurrentUser | None,
    *,
    email: str,
    name: str,
    role: str,
    municipality: str | None,
    school_code: str | None = None,
    known_municipalities: list[str] | None = None,
    now: datetime | None = None,
) -> IssuedInvitation:
    """Invite someone to set a password. `by` None = an operator on the command line.

    Evaluators may invite evaluators and coordinators of their own municipality only.
    """
    email = normalize_email(email)
    municipality = (municipality or "").strip() or None
    school_code = (school_code or "").strip() or None
    errors = _field_errors(email, name, None)
    if by is not None and by.role == "coordinator":
        raise Forbidden("School coordinators cannot invite users.")
    if by is not None and by.role == "evaluator":
        if role not in ("evaluator", "coordinator"):
            raise Forbidden("Evaluators may invite evaluators and school coordinators only.")
        if municipality != by.municipality:
            raise NotFound("Not found.")
    if role not in ROLES:
        errors.append({"field": "role", "code": "unknown", "message": f"Role must be one of {', '.join(ROLES)}."})
    school_id = None
    if role == "operator":
        municipality = None
        school_code = None
    elif municipality is None:
        errors.append({"field": "municipality", "code": "required", "message": "Choose the municipality."})
    elif known_municipalities is not None and municipality not in known_municipalities:
        errors.append(
            {
                "field": "municipality",
                "code": "unknown",
                "message": f"Unknown municipality {municipality!r}.",
                "value": municipality,
            }
        )
    if role == "coordinator":
        if school_code is None:
            errors.append({"field": "school", "code": "required", "message": "A coordinator needs a school code."})
        elif municipality is not None:
            school = await SchoolRepository(session).by_code(municipality, school_code)
            if school is None:
                errors.append(
                    {
                        "field": "school",
                        "code": "unknown",
                        "message": f"No school {school_code!r} here.",
                        "value": school_code,
                    }
                )
            else:
                school_id = school.id
    if not errors and await UserRepository(session).by_email(email) is not None:
        errors.append({"field": "email", "code": "taken", "message": "A user with this e-mail exists."})
    if errors:
        raise ValidationFailed("The invitation cannot be created.", errors=errors)
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    invitation = await InvitationRepository(session).add(
        Invitation(
            token_hash=token_hash(token),
            email=email,
            name=name.strip(),
            role=role,
            municipality=municipality if role != "operator" else None,
            school_id=school_id if role == "coordinator" else None,
            invited_by=None if by is None else by.id,
            expires_at=now + INVITATION_LIFETIME,
        )
    )
    await record(
        session,
        by,
        "user.invite",
        "invitation",
        invitation.id,
        invitation.municipality,
        {"email": email, "role": role, "school": school_code},
    )
    return IssuedInvitation(token=token, invitation=invitation)


async def open_invitation(session: AsyncSession, token: str, *, now: datetime | None = None) -> Invitation:
    """The invitation behind a link, if it can still be used."""
    invitation = await InvitationRepository(session).by_token_hash(token_hash(token))
    if invitation is None:
        raise NotFound("This invitation link is not valid.", code="invitation_not_found")
    if invitation.used_at is not None:
        raise Gone("This invitation has already been used; sign in instead.", code="invitation_used")
    if invitation.expires_at <= (now or datetime.now(UTC)):
        raise Gone("This invitation has expired; ask for a new one.", code="invitation_expired")
    return invitation


async def accept_invitation(session: AsyncSession, token: str, password: str, *, now: datetime | None = None) -> User:
    """Create the invited user with their password; the link cannot be used again."""
    now = now or datetime.now(UTC)
    invitation = await open_invitation(session, token, now=now)
    if problem := password_problem(password):
        raise ValidationFailed(
            "The password is not acceptable.", errors=[{"field": "password", "code": "weak", "message": problem}]
        )
    repo = UserRepository(session)
    if await repo.by_email(invitation.email) is not None:
        raise Conflict("A user with this e-mail exists already; sign in instead.", code="email_taken")
    if not await InvitationRepository(session).mark_used(invitation.id, now):
        raise Gone("This invitation has already been used; sign in instead.", code="invitation_used")
    user = await repo.add(
        User(
            email=invitation.email,
            name=invitation.name,
            password_hash=await hash_password_async(password),
            role=invitation.role,
            municipality=invitation.municipality,
            school_id=invitation.school_id,
            active=True,
        )
    )
    await record(
        session,
        current_user(user),
        "user.accept_invitation",
        "user",
        user.id,
        user.municipality,
        {"email": user.email, "role": user.role},
    )
    return user


async def users_for(session: AsyncSession, viewer: CurrentUser) -> list[UserRead]:
    if viewer.role == "coordinator":
        raise Forbidden("School coordinators cannot list users.")
    rows = await UserRepository(session).listed(None if viewer.is_operator else viewer.municipality)
    return [user_read(u) for u in rows]


async def change_password(
    session: AsyncSession, user: CurrentUser, *, current: str, new: str, keep_token: str | None
) -> None:
    """Change one's own password; every other session of the user is ended."""
    row = await UserRepository(session).by_id(user.id)
    if row is None or not await verify_password_async(row.password_hash, current):
        raise ValidationFailed(
            "The current password is wrong.",
            errors=[{"field": "current", "code": "wrong", "message": "The current password is wrong."}],
        )
    if problem := password_problem(new):
        raise ValidationFailed(
            "The new password is not acceptable.", errors=[{"field": "password", "code": "weak", "message": problem}]
        )
    row.password_hash = await hash_password_async(new)
    await SessionRepository(session).delete_for_user(
        row.id, keep=None if keep_token is None else token_hash(keep_token)
    )
    await record(session, user, "user.password", "user", row.id, row.municipality, {})


async def set_password(session: AsyncSession, email: str, password: str) -> User:
    """Set a user's password from the server's command line; their sessions end."""
    row = await UserRepository(session).by_email(normalize_email(email))
    if row is None:
        raise NotFound(f"No user with e-mail {email!r}.", code="user_not_found")
    if problem := password_problem(password):
        raise ValidationFailed(
            "The password is not acceptable.", errors=[{"field": "password", "code": "weak", "message": problem}]
        )
    row.password_hash = await hash_password_async(password)
    await SessionRepository(session).delete_for_user(row.id)
    await record(session, None, "user.password", "user", row.id, row.municipality, {"by": "command line"})
    return row


async def set_active(session: AsyncSession, email: str, active: bool) -> User:
    """Deactivate (sessions end, sign-in refused) or reactivate a user, from the command line."""
    row = await UserRepository(session).by_email(normalize_email(email))
    if row is None:
        raise NotFound(f"No user with e-mail {email!r}.", code="user_not_found")
    row.active = active
    if not active:
        await SessionRepository(session).delete_for_user(row.id)
    await record(session, None, "user.activate" if active else "user.deactivate", "user", row.id, row.municipality, {})
    return row
