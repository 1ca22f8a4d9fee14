"""Admin pages for people and history: users and invitations, the audit log."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser
from pmp_surveys.accounts.auth import SESSION_COOKIE
from pmp_surveys.accounts.repository import UserRepository
from pmp_surveys.accounts.service import change_password, invite, users_for
from pmp_surveys.admin.common import AdminPageController, known_municipalities
from pmp_surveys.admin.forms import Posted
from pmp_surveys.admin.rendering import render
from pmp_surveys.audit.service import entries_for
from pmp_surveys.errors import ValidationFailed
from pmp_surveys.web.context import context_from


class AdminPeoplePages(AdminPageController):
    async def _users_page(
        self,
        request: Request[Any, Any, Any],
        session: AsyncSession,
        user: CurrentUser,
        *,
        status: int = 200,
        errors: list[Any] | None = None,
        values: dict[str, str] | None = None,
        invite_url: str | None = None,
    ) -> Response[Any]:
        users = await users_for(session, user)
        roles = ["evaluator", "coordinator"] + (["operator"] if user.is_operator else [])
        return render(
            request,
            "users.html",
            user=user,
            status=status,
            users=users,
            roles=roles,
            municipalities=known_municipalities(request.app.state) if user.is_operator else [user.municipality],
            errors=errors or [],
            values=values or {},
            invite_url=invite_url,
        )

    @get("/users", summary="Users and invitations")
    async def users(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
    ) -> Response[Any]:
        return await self._users_page(request, session, user)

    @post("/users/invite", summary="Invite a user (shows a one-time link)", status_code=200)
    async def invite_user(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
    ) -> Response[Any]:
        municipality = form.get("municipality") if user.is_operator else user.municipality
        try:
            issued = await invite(
                session,
                user,
                email=form.get("email"),
                name=form.get("name"),
                role=form.get("role"),
                municipality=municipality,
                school_code=form.get("school"),
                known_municipalities=known_municipalities(state),
            )
        except ValidationFailed as exc:
            return await self._users_page(request, session, user, status=422, errors=exc.errors, values=form.fields)
        url = context_from(state).settings.base_url + issued.path()
        return await self._users_page(request, session, user, invite_url=url)

    @get("/password", summary="Change your password")
    async def password_page(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Response[Any]:
        return render(request, "password.html", user=user, errors=[], done=False)

    @post("/password", summary="Change your password", status_code=200)
    async def change_own_password(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
    ) -> Response[Any]:
        try:
            if form.get("password") != form.get("password_again"):
                raise ValidationFailed(
                    "", errors=[{"field": "password_again", "code": "differs", "message": "The passwords differ."}]
                )
            await change_password(
                session,
                user,
                current=form.get("current"),
                new=form.get("password"),
                keep_token=request.cookies.get(SESSION_COOKIE),
            )
        except ValidationFailed as exc:
            return render(request, "password.html", user=user, status=422, errors=exc.errors, done=False)
        return render(request, "password.html", user=user, errors=[], done=True)

    @get("/audit", summary="Audit log")
    async def audit(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
    ) -> Response[Any]:
        entries = await entries_for(session, user)
        # "user 2" is shown as the account's e-mail (the entries are already the caller's to see)
        ids = {int(e.object_id) for e in entries if e.object_type == "user" and e.object_id.isdigit()}
        people = {str(i): u.email for i in ids if (u := await UserRepository(session).by_id(i)) is not None}
        return render(request, "audit.html", user=user, entries=entries, people=people)
