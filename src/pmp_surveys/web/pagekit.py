"""Shared pieces of the respondent pages: the base template context, cookies and headers.

Used by the page controller (`responses.pages`) and the HTML error pages (`web.html_errors`).
"""

from __future__ import annotations

from typing import Any, Final

from litestar import Request
from litestar.datastructures import Cookie, ResponseHeader
from markupsafe import Markup, escape

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.instruments.definition import LANGUAGES, Lang
from pmp_surveys.web.csrf import CSRF_COOKIE, Signer
from pmp_surveys.web.i18n import LANG_COOKIE, LANGUAGE_NAMES, Translator, language_from_header, pick_language, t
from pmp_surveys.web.ratelimit import reserve_submission

#: Cookies of the respondent pages live under /s only.
COOKIE_PATH: Final = "/s"
#: The name of the language buttons of a filled form; a post carrying it only re-renders.
SWITCH_FIELD: Final = "_switch_lang"
#: `request.state` key: the language a posted form asked for, so its error pages use it too.
PAGE_LANGUAGE: Final = "page_language"

SECURITY_HEADERS: Final = [
    ResponseHeader(
        name="Content-Security-Policy",
        value=(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        ),
    ),
    # School links carry a token: never send the page address to other sites.
    ResponseHeader(name="Referrer-Policy", value="no-referrer"),
    ResponseHeader(name="X-Content-Type-Options", value="nosniff"),
    # Pages carry a CSRF token and depend on the language cookie: never in a shared cache.
    ResponseHeader(name="Cache-Control", value="private, no-cache"),
]


def request_language(request: Request[Any, Any, Any], explicit: str | None = None) -> Lang:
    """`explicit` (a form field), else `?lang=`, else the language cookie, else the browser's
    `Accept-Language` (lv, ru, uk or en), else Latvian."""
    if explicit in LANGUAGES:
        return explicit
    query, cookie = request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)
    if query not in LANGUAGES and cookie not in LANGUAGES:
        found = language_from_header(request.headers.get("accept-language"))
        if found is not None:
            return found
    return pick_language(query, cookie)


async def limit_page_submission(request: Request[Any, Any, Any]) -> None:
    """The per-client submission limit (`web.ratelimit`, shared by every worker in PostgreSQL),
    applied by a page handler *after* it has read the form, so that the 429 page can hand the
    answers back (the app-wide guard runs before the body is read). Raises TooManyRequests."""
    await reserve_submission(request)


def base_context(lang: Lang, title: str, switch_path: str, *, switch_form: str | None = None) -> dict[str, Any]:
    """What `base.html` needs: language, translator, unique title and language choices.

    The choices are links to `switch_path?lang=…`, or, with `switch_form` (the id of a form
    holding answers), submit buttons of that form named `SWITCH_FIELD`, so that switching
    re-posts the answers instead of dropping them.
    """
    return {
        "lang": lang,
        "t": Translator(lang),
        "page_title": f"{title} — {t(lang, 'site_name')}",
        "languages": [
            {"code": code, "name": LANGUAGE_NAMES[code], "href": f"{switch_path}?lang={code}", "current": code == lang}
            for code in LANGUAGES
        ],
        "switch": {"form": switch_form, "field": SWITCH_FIELD} if switch_form else None,
    }


def language_cookie(request: Request[Any, Any, Any], lang: Lang, *, secure: bool, chosen: bool = False) -> list[Cookie]:
    """Remember a language chosen with `?lang=` (or, with `chosen`, with a switch button) for
    the browser session."""
    if not chosen and request.query_params.get("lang") != lang:
        return []
    if request.cookies.get(LANG_COOKIE) == lang:
        return []
    return [Cookie(key=LANG_COOKIE, value=lang, path=COOKIE_PATH, httponly=True, samesite="lax", secure=secure)]


def csrf_pair(request: Request[Any, Any, Any], signer: Signer, *, secure: bool) -> tuple[str, list[Cookie]]:
    """The form token for this browser, and the cookie to set if the browser has no nonce yet."""
    nonce = request.cookies.get(CSRF_COOKIE)
    cookies = []
    if not nonce or len(nonce) > 100:
        nonce = signer.new_nonce()
        cookies.append(
            Cookie(key=CSRF_COOKIE, value=nonce, path=COOKIE_PATH, httponly=True, samesite="lax", secure=secure)
        )
    return signer.csrf_token(nonce), cookies


def municipality_name(catalogue: Catalogue, code: str, lang: Lang) -> Markup:
    """The municipality's name for the header and the privacy notice, as HTML: its official
    Latvian name (inside `lang="lv"` on Russian and Ukrainian pages, for screen readers and
    hyphenation), its English name on English pages."""
    found = catalogue.municipalities.get(code)
    if found is None:
        return escape(t(lang, "municipality_generic"))
    if lang == "en":
        return escape(found.names.en)
    if lang == "lv":
        return escape(found.names.lv)
    return Markup('<span lang="lv">{}</span>').format(found.names.lv)


def contact_line(catalogue: Catalogue, code: str, lang: Lang) -> str:
    """Whom to contact: the catalogue's contact line if it has one, else the generic sentence.

    The catalogue has no contact field yet; one named `contact` is used as soon as it has.
    """
    found = catalogue.municipalities.get(code)
    contact = getattr(found, "contact", None) if found else None
    return str(contact) if contact else t(lang, "privacy_contact")
