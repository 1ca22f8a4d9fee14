"""The request side of accounts: session cookie → `CurrentUser`, as Litestar dependencies.

Use in a controller::

    dependencies = {"user": Provide(provide_user)}

    async def handler(self, user: NamedDependency[CurrentUser]) -> ...

`provide_user` raises `Unauthorized` (401 problem on the JSON API; the admin pages turn it
into a redirect to the sign-in page); `provide_optional_user` returns None instead. Both open
their own short database session, so they need no other dependency.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path
from typing import Any

from litestar import Request, Response
from litestar.datastructures import State

from pmp_surveys.accounts.access import CurrentUser
from pmp_surveys.accounts.ratelimit import LoginLimiter
from pmp_surveys.accounts.service import SESSION_LIFETIME, user_for_token
from pmp_surveys.errors import Unauthorized
from pmp_surveys.web.context import context_from

SESSION_COOKIE = "pmp_admin_session"
_SECRET_KEY = "pmp.accounts.secret"  # noqa: S105 - a state key, not a secret
_LIMITER_KEY = "pmp.accounts.login_limiter"


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


def _stored_secret(data_dir: Path) -> bytes:
    """The key in `<data dir>/secret_key`, created (0600) on first use; shared by all workers."""
    path = data_dir / "secret_key"
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable key; delete it to have a new one made")
    return key.encode()


def app_secret(state: State) -> bytes:
    """Key for signing pre-login forms and hashing client addresses: PMP_SECRET_KEY, else a key
    generated into the data dir (so every worker process agrees), else a per-process one."""
    secret = state.get(_SECRET_KEY)
    if secret is None:
        settings = context_from(state).settings
        if settings.secret_key:
            material = settings.secret_key.encode()
        else:
            try:
                material = _stored_secret(settings.data_dir)
            except OSError:
                material = secrets.token_bytes(32)
        secret = hashlib.sha256(b"pmp-accounts:" + material).digest()
        state[_SECRET_KEY] = secret
    assert isinstance(secret, bytes)
    return secret


def login_limiter(state: State) -> LoginLimiter:
    """The process's sign-in limiter (one per app)."""
    limiter = state.get(_LIMITER_KEY)
    if limiter is None:
        limiter = LoginLimiter(app_secret(state))
        state[_LIMITER_KEY] = limiter
    assert isinstance(limiter, LoginLimiter)
    return limiter


def client_address(request: Request[Any, Any, Any]) -> str | None:
    return request.client.host if request.client else None


__all__ = [
    "SESSION_COOKIE",
    "app_secret",
    "clear_session_cookie",
    "client_address",
    "login_limiter",
    "provide_optional_user",
    "provide_user",
    "set_session_cookie",
]
