"""The request side of accounts: session cookie → `CurrentUser`, as Litestar dependencies.

Use in a controller::

    dependencies = {"user": Provide(provide_user)}

    async def handler(self, user: NamedDependency[CurrentUser]) -> ...

`provide_user` raises `Unauthorized` (401 problem on the JSON API; the admin pages turn it
into a redirect to the sign-in page); `provide_optional_user` returns None instead. Both open
their own short database session, so they need no other dependency.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.datastructures import State

from pmp_surveys.accounts.access import CurrentUser
from pmp_surveys.accounts.service import SESSION_LIFETIME, user_for_token
from pmp_surveys.errors import Unauthorized
from pmp_surveys.keys import Keys
from pmp_surveys.web import clientaddr
from pmp_surveys.web.context import context_from

SESSION_COOKIE = "pmp_admin_session"


async def provide_optional_user(request: Request[Any, Any, Any]) -> CurrentUser | None:
    """The signed-in user, or None (no cookie, unknown or expired session, deactivated user)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 128:
        return None
    ctx = context_from(request.app.state)
    async with ctx.sessions() as session:
        user = await user_for_token(session, token)
        if session.dirty:
            await session.commit()  # the idle expiry moved on
        return user


async def provide_user(request: Request[Any, Any, Any]) -> CurrentUser:
    """The signed-in user; raises `Unauthorized` otherwise."""
    user = await provide_optional_user(request)
    if user is None:
        raise Unauthorized("Sign in first.", code="unauthorized")
    return user


def set_session_cookie(response: Response[Any], request: Request[Any, Any, Any], token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=context_from(request.app.state).settings.secure_cookies,
    )


def clear_session_cookie(response: Response[Any], request: Request[Any, Any, Any]) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def app_secret(state: State) -> bytes:
    """Key for signing pre-login forms and device cookies: the "admin-forms" sub-key of the one
    secret (`pmp_surveys.keys`)."""
    keys = state["keys"]
    assert isinstance(keys, Keys)
    return keys.admin_forms


def hash_secret(state: State) -> bytes:
    """Key for the keyed hashes of e-mails and addresses in sign-in limits."""
    keys = state["keys"]
    assert isinstance(keys, Keys)
    return keys.client_hash


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address (X-Forwarded-For believed from PMP_TRUSTED_PROXIES only)."""
    return clientaddr.client_address(request)


__all__ = [
    "SESSION_COOKIE",
    "app_secret",
    "clear_session_cookie",
    "client_address",
    "hash_secret",
    "provide_optional_user",
    "provide_user",
    "set_session_cookie",
]
