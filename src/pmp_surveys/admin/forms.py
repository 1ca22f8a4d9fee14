"""Form posts on admin pages: CSRF-checked field access, typed conversion, and page errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import msgspec
from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException

from pmp_surveys.accounts.access import CurrentUser
from pmp_surveys.accounts.csrf import FIELD, session_token_ok
from pmp_surveys.admin.i18n import problem_title, translator
from pmp_surveys.admin.rendering import LOCAL_ZONE, admin_lang, render, see_other
from pmp_surveys.errors import Forbidden, PmpError, Unauthorized, ValidationFailed
from pmp_surveys.web.problems import problem_for

T = TypeVar("T")
_AT = re.compile(r"at `\$\.(?P<field>[A-Za-z0-9_]+)")


@dataclass(frozen=True)
class Posted:
    """A checked form post: text fields, uploaded files' bytes and their file names."""

    fields: dict[str, str]
    files: dict[str, bytes] = field(default_factory=dict)
    file_names: dict[str, str] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


async def read_form(request: Request[Any, Any, Any]) -> Posted:
    form = await request.form()
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    for key, value in form.multi_items():
        if isinstance(value, UploadFile):
            files[key] = await value.read()
            names[key] = value.filename or ""
        elif isinstance(value, str):
            fields[key] = value
    return Posted(fields, files, names)


async def provide_form(request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Posted:
    """The post's fields, only if it carries this session's CSRF token (else 403)."""
    posted = await read_form(request)
    if not session_token_ok(user.csrf_secret, posted.fields.get(FIELD)):
        raise Forbidden("The form has expired or did not come from this site.", code="csrf_failed")
    return posted


def convert_form(fields: dict[str, str], kind: type[T]) -> T:
    """Form text → a typed struct (`strict=False`); blank fields are left out (defaults apply)."""
    values = {k: v.strip() for k, v in fields.items() if k != FIELD and v.strip() != ""}
    try:
        return msgspec.convert(values, kind, strict=False)
    except msgspec.ValidationError as exc:
        match = _AT.search(str(exc))
        name = match.group("field") if match else "form"
        message = str(exc).split(" - at ")[0]
        raise ValidationFailed(
            "The form has errors.", errors=[{"field": name, "code": "invalid", "message": message}]
        ) from None


def as_utc(value: datetime | None) -> datetime | None:
    """Times typed into a form (datetime-local, no zone) are Rīga wall-clock time (Europe/Riga,
    summer time included); returned in UTC. 23:59 on 31 May is 20:59 UTC, not 02:59 on 1 June."""
    if value is None:
        return None
    local = value.replace(tzinfo=LOCAL_ZONE) if value.tzinfo is None else value
    return local.astimezone(UTC)


def page_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Admin pages: not signed in → the sign-in page; any other failure → an error page."""
    if isinstance(exc, Unauthorized):
        target = request.url.path if request.method == "GET" else "/admin"
        return see_other(f"/admin/login?next={target}")
    status, body = problem_for(exc)
    lang = admin_lang(request)
    title = problem_title(lang, str(body.get("type", "")), str(body["title"]))
    if isinstance(exc, PmpError) and exc.code == "csrf_failed":
        title = translator(lang)("forbidden_form")
    headers = {}
    if isinstance(exc, HTTPException) and exc.headers:
        headers = dict(exc.headers)
    response = render(request, "error.html", user=None, status=status, title=title, errors=body.get("errors", []))
    response.headers.update(headers)
    return response


PAGE_ERRORS: dict[type[Exception] | int, Any] = {Exception: page_error}
