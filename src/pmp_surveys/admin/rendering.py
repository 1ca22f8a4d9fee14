"""Rendering admin pages: one Jinja environment for `templates/admin/`, security headers, language."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import MediaType, Request, Response
from litestar.response import Redirect

from pmp_surveys.accounts.access import CurrentUser
from pmp_surveys.accounts.csrf import session_token
from pmp_surveys.admin.audit_text import action_name, detail_lines, object_name
from pmp_surveys.admin.i18n import LANG_COOKIE, LANGS, error_line, translator
from pmp_surveys.admin.problem_text import problem_text
from pmp_surveys.reports.build import is_demo_campaign

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

#: Evaluators type and read times in Rīga time (DESIGN: the service is for Latvian municipalities).
LOCAL_ZONE = ZoneInfo("Europe/Riga")


def riga_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored (UTC) time as Rīga wall-clock text; naive values are taken as UTC; None → "—"."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(LOCAL_ZONE).strftime(fmt)


_env.filters["riga"] = riga_time

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


def admin_lang(request: Request[Any, Any, Any]) -> str:
    lang = request.cookies.get(LANG_COOKIE, "lv")
    return lang if lang in LANGS else "lv"


def safe_next(target: str | None, default: str = "/admin") -> str:
    """Only local admin paths; anything else (//evil, https://…) falls back to `default`."""
    if target and target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _place_name(request: Request[Any, Any, Any], lang: str, code: str | None) -> str:
    """A municipality's name in the admin language, not its code (the code when unknown)."""
    if not code:
        return ""
    catalogue = getattr(request.app.state.get("ctx"), "catalogue", None)
    municipality = None if catalogue is None else catalogue.municipalities.get(code)
    if municipality is None:
        return code
    return str(municipality.names.en if lang == "en" else municipality.names.lv)


def number(lang: str, value: float, digits: int = 1) -> str:
    """`value` with `digits` decimals: a decimal comma in Latvian ("69,9"), a point in English, as the
    report writes them (reports/strings.py)."""
    text = f"{value:.{digits}f}"
    return text if lang == "en" else text.replace(".", ",")


def campaign_title(lang: str, campaign: Any) -> str:
    """A campaign's title for the page; a demo campaign's title (stored in English by the demo seed)
    in the admin's language, recognised as the report recognises it (``reports.build.is_demo_campaign``)."""
    title = str(campaign.title)
    if lang == "en" or not is_demo_campaign(title, str(campaign.slug)):
        return title
    survey = translator(lang)(f"demo_survey_{campaign.audience}")
    return f"DEMO (sintētiski dati) — {survey} {campaign.wave}"


def render(
    request: Request[Any, Any, Any],
    template: str,
    *,
    user: CurrentUser | None,
    status: int = 200,
    **context: Any,
) -> Response[str]:
    lang = admin_lang(request)
    html = _env.get_template(f"admin/{template}").render(
        t=translator(lang),
        error_line=error_line,
        lang=lang,
        user=user,
        csrf=session_token(user.csrf_secret) if user is not None and user.csrf_secret else "",
        path=request.url.path,
        here=quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="/"),
        place=partial(_place_name, request, lang),
        problem_text=partial(problem_text, lang),
        action_name=partial(action_name, lang),
        object_name=partial(object_name, lang),
        detail_lines=partial(detail_lines, lang),
        num=partial(number, lang),
        ctitle=partial(campaign_title, lang),
        **context,
    )
    return Response(html, media_type=MediaType.HTML, status_code=status, headers=SECURITY_HEADERS)


def see_other(location: str) -> Redirect:
    return Redirect(location, status_code=303, headers={"Cache-Control": "no-store"})


def back_with_notice(path: str, municipality: str, notice: str) -> Redirect:
    """303 back to the admin page `path` of `municipality` after a change, with its `saved` notice."""
    return see_other(f"{path}?{urlencode({'municipality': municipality, 'saved': notice})}")
