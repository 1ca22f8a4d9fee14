"""Pages before and around sign-in: login, logout, accepting an invitation, language, stylesheet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts import csrf
from pmp_surveys.accounts import ratelimit as login_limits
from pmp_surveys.accounts.access import CurrentUser
from pmp_surveys.accounts.auth import (
    SESSION_COOKIE,
    app_secret,
    clear_session_cookie,
    client_address,
    hash_secret,
    provide_optional_user,
    set_session_cookie,
)
from pmp_surveys.accounts.repository import UserRepository
from pmp_surveys.accounts.service import (
    accept_invitation,
    authenticate,
    current_user,
    end_session,
    normalize_email,
    open_invitation,
    start_session,
)
from pmp_surveys.admin.forms import PAGE_ERRORS, read_form
from pmp_surveys.admin.i18n import LANG_COOKIE, LANGS, translator
from pmp_surveys.admin.rendering import admin_lang, render, safe_next, see_other
from pmp_surveys.audit.service import record
from pmp_surveys.errors import Forbidden, ValidationFailed
from pmp_surveys.web.context import context_from
from pmp_surveys.web.csrf import Signer
from pmp_surveys.web.dependencies import provide_session

STATIC = Path(__file__).resolve().parent.parent / "static"


async def audit_sign_in(session: AsyncSession, action: str, email: str) -> None:
    """A failed sign-in or a lock-out in the audit log, under the account it was aimed at (so the
    account's municipality sees it). Typed text that is no account's e-mail is not stored (it may
    be a password typed into the wrong field); no address or user agent is kept."""
    target = await UserRepository(session).by_email(normalize_email(email)) if email else None
    if target is None:
        await record(session, None, action, "user", "unknown", None, {})
        return
    await record(session, None, action, "user", target.id, target.municipality, {"email": target.email})


def _with_pre_cookie(request: Request[Any, Any, Any], response: Response[Any], nonce: str) -> Response[Any]:
    response.set_cookie(
        csrf.LOGIN_COOKIE,
        nonce,
        max_age=3600,
        path="/admin",
        httponly=True,
        samesite="lax",
        secure=request.app.state["ctx"].settings.secure_cookies,
    )
    return response


def _pre_form(request: Request[Any, Any, Any]) -> tuple[str, str]:
    """A nonce for the cookie (reused if present) and the token for the form."""
    nonce = request.cookies.get(csrf.LOGIN_COOKIE) or csrf.new_nonce()
    return nonce, csrf.nonce_token(app_secret(request.app.state), nonce)


def _check_pre_form(request: Request[Any, Any, Any], token: str | None) -> None:
    if not csrf.nonce_token_ok(app_secret(request.app.state), request.cookies.get(csrf.LOGIN_COOKIE), token):
        raise Forbidden("The form has expired or did not come from this site.", code="csrf_failed")


DEVICE_COOKIE = "pmp_admin_device"
DEVICE_MAX_AGE = 180 * 24 * 3600


def _device_for(request: Request[Any, Any, Any], email: str) -> str | None:
    """The id of this browser's device cookie if it was issued for `email` (signed, unexpired)."""
    value = Signer(app_secret(request.app.state)).unsign(
        "device:" + email.strip().lower(), request.cookies.get(DEVICE_COOKIE)
    )
    return value


def _set_device_cookie(request: Request[Any, Any, Any], response: Response[Any], email: str) -> None:
    signed = Signer(app_secret(request.app.state)).sign(
        "device:" + email.strip().lower(), csrf.new_nonce(), max_age=DEVICE_MAX_AGE
    )
    response.set_cookie(
        DEVICE_COOKIE,
        signed,
        max_age=DEVICE_MAX_AGE,
        path="/admin",
        httponly=True,
        samesite="lax",
        secure=context_from(request.app.state).settings.secure_cookies,
    )


class AdminAuthPages(Controller):
    path = "/admin"
    tags = ["admin pages"]
    include_in_schema = False
    exception_handlers = PAGE_ERRORS
    dependencies = {"session": Provide(provide_session), "viewer": Provide(provide_optional_user)}

    def _login_page(
        self,
        request: Request[Any, Any, Any],
        *,
        status: int = 200,
        error: str | None = None,
        email: str = "",
        next_: str,
    ) -> Response[Any]:
        nonce, token = _pre_form(request)
        page = render(
            request, "login.html", user=None, status=status, error=error, email=email, next=next_, pre_token=token
        )
        return _with_pre_cookie(request, page, nonce)

    @get("/login", summary="Sign-in page")
    async def login_page(
        self,
        request: Request[Any, Any, Any],
        viewer: NamedDependency[CurrentUser | None],
        next_: Annotated[str | None, QueryParameter(name="next")] = None,
    ) -> Response[Any]:
        if viewer is not None:
            return see_other(safe_next(next_))
        return self._login_page(request, next_=safe_next(next_))

    @post("/login", summary="Sign in", status_code=200)
    async def login(
        self, request: Request[Any, Any, Any], state: State, session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        posted = await read_form(request)
        _check_pre_form(request, posted.get(csrf.FIELD))
        email, password, next_ = posted.get("email").strip(), posted.get("password"), safe_next(posted.get("next"))
        t = translator(admin_lang(request))
        pg = context_from(state).pg
        attempt = login_limits.counters(hash_secret(state), email, client_address(request), _device_for(request, email))
        wait = await login_limits.reserve(pg, attempt)
        if wait:
            await audit_sign_in(session, "auth.locked_out", email)
            page = self._login_page(
                request, status=429, error=t("rate_limited", minutes=(wait + 59) // 60), email=email, next_=next_
            )
            page.headers["Retry-After"] = str(wait)
            return page
        user = await authenticate(session, email, password)
        if user is None:
            await audit_sign_in(session, "auth.sign_in_failed", email)
            return self._login_page(request, status=401, error=t("bad_login"), email=email, next_=next_)
        await login_limits.succeeded(pg, attempt)
        token = await start_session(session, user)
        await record(session, current_user(user), "auth.sign_in", "user", user.id, user.municipality)
        response: Response[Any] = see_other(next_)
        set_session_cookie(response, request, token)
        _set_device_cookie(request, response, email)
        response.delete_cookie(csrf.LOGIN_COOKIE, path="/admin")
        return response

    @post("/logout", summary="Sign out", status_code=200)
    async def logout(
        self,
        request: Request[Any, Any, Any],
        session: NamedDependency[AsyncSession],
        viewer: NamedDependency[CurrentUser | None],
    ) -> Response[Any]:
        posted = await read_form(request)
        if viewer is not None:
            if not csrf.session_token_ok(viewer.csrf_secret, posted.get(csrf.FIELD)):
                raise Forbidden("The form has expired or did not come from this site.", code="csrf_failed")
            token = request.cookies.get(SESSION_COOKIE)
            if token:
                await end_session(session, token)
        response: Response[Any] = see_other("/admin/login")
        clear_session_cookie(response, request)
        return response

    @get("/invite/{token:str}", summary="Accept an invitation: set a password")
    async def invitation_page(
        self, request: Request[Any, Any, Any], session: NamedDependency[AsyncSession], token: FromPath[str]
    ) -> Response[Any]:
        invitation = await open_invitation(session, token)
        nonce, pre_token = _pre_form(request)
        page = render(request, "invite.html", user=None, invitation=invitation, pre_token=pre_token, errors=[])
        return _with_pre_cookie(request, page, nonce)

    @post("/invite/{token:str}", summary="Accept an invitation", status_code=200)
    async def accept(
        self, request: Request[Any, Any, Any], session: NamedDependency[AsyncSession], token: FromPath[str]
    ) -> Response[Any]:
        posted = await read_form(request)
        _check_pre_form(request, posted.get(csrf.FIELD))
        t = translator(admin_lang(request))
        password = posted.get("password")
        try:
            if password != posted.get("password_again"):
                raise ValidationFailed(
                    "", errors=[{"field": "password_again", "code": "differs", "message": t("passwords_differ")}]
                )
            user = await accept_invitation(session, token, password)
        except ValidationFailed as exc:
            invitation = await open_invitation(session, token)
            nonce, pre_token = _pre_form(request)
            page = render(
                request,
                "invite.html",
                user=None,
                status=422,
                invitation=invitation,
                pre_token=pre_token,
                errors=exc.errors,
            )
            return _with_pre_cookie(request, page, nonce)
        session_token = await start_session(session, user)
        response: Response[Any] = see_other("/admin")
        set_session_cookie(response, request, session_token)
        return response

    @get("/lang/{lang:str}", summary="Switch the admin language")
    async def switch_language(
        self,
        lang: FromPath[str],
        request: Request[Any, Any, Any],
        next_: Annotated[str | None, QueryParameter(name="next")] = None,
    ) -> Response[Any]:
        response: Response[Any] = see_other(safe_next(next_))
        if lang in LANGS:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, path="/", samesite="lax", httponly=True)
        return response

    @get("/static/admin.css", summary="Admin stylesheet", cache_control=None)
    async def stylesheet(self) -> Response[bytes]:
        return Response(
            (STATIC / "admin.css").read_bytes(),
            media_type="text/css; charset=utf-8",
            headers={"Cache-Control": "public, max-age=3600"},
        )


__all__ = ["AdminAuthPages", "MediaType"]
