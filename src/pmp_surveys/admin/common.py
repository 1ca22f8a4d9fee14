"""What the admin controllers share: dependencies, error handling, municipality scope."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Controller
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import Provide
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_municipality
from pmp_surveys.accounts.auth import provide_user
from pmp_surveys.admin.forms import PAGE_ERRORS, provide_form
from pmp_surveys.errors import Forbidden, NotFound
from pmp_surveys.instruments.repository import InstrumentRepository
from pmp_surveys.web.context import context_from
from pmp_surveys.web.dependencies import provide_session


def known_municipalities(state: State) -> list[str]:
    return sorted(context_from(state).catalogue.municipalities)


async def instrument_titles(session: AsyncSession) -> dict[str, dict[str, str]]:
    """Instrument key → its latest version's title in every language."""
    titles: dict[str, dict[str, str]] = {}
    for version in await InstrumentRepository(session).all_versions():
        title = version.definition.get("title", {})
        titles[version.key] = {k: str(v) for k, v in title.items()} if isinstance(title, dict) else {}
    return titles


def scope_municipality(state: State, user: CurrentUser, requested: str | None) -> str:
    """The municipality a page shows: the user's own; operators choose (default: the first)."""
    if not user.is_operator:
        assert user.municipality is not None
        return user.municipality
    known = known_municipalities(state)
    if requested:
        require_municipality(user, requested)
        if requested not in known:  # an operator naming no municipality of the catalogue
            raise NotFound("Not found.")
        return requested
    return known[0] if known else ""


class AdminPageController(Controller):
    """Base of signed-in admin pages: `user`, `session` and a CSRF-checked `form`."""

    path = "/admin"
    tags = ["admin pages"]
    include_in_schema = False
    exception_handlers = PAGE_ERRORS
    dependencies = {
        "user": Provide(provide_user),
        "session": Provide(provide_session),
        "form": Provide(provide_form),
    }


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def same_origin(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Cookie-authenticated API writes: refuse a browser's cross-site request (CSRF defence in
    depth beside SameSite=Lax). Clients that send no Origin header (scripts, curl) pass."""
    if connection.scope.get("method") not in UNSAFE_METHODS:
        return
    origin = connection.headers.get("origin")
    if origin is None:
        return
    host = connection.headers.get("host", "")
    if urlsplit(origin).netloc != host:
        raise Forbidden("Cross-site requests are not accepted.", code="cross_site")


class AdminApiController(Controller):
    """Base of the JSON admin API: problem+json errors from the app's handlers."""

    tags = ["admin"]
    guards = [same_origin]
    dependencies = {"user": Provide(provide_user), "session": Provide(provide_session)}


__all__ = [
    "AdminApiController",
    "AdminPageController",
    "instrument_titles",
    "known_municipalities",
    "scope_municipality",
]
