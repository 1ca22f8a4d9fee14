"""The exception tree as HTML pages, in the respondent's language.

Status codes come from `problems.problem_for`, so a page and the JSON API never disagree; only
the wording differs. Page controllers register `html_error_handlers()` at controller level.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Template

from pmp_surveys.errors import Conflict, Forbidden, Gone, IdempotencyConflict, NotFound, TooManyRequests
from pmp_surveys.web.csrf import CSRF_FIELD, Signer
from pmp_surveys.web.i18n import t
from pmp_surveys.web.pagekit import (
    PAGE_LANGUAGE,
    SECURITY_HEADERS,
    SWITCH_FIELD,
    base_context,
    csrf_pair,
    request_language,
)
from pmp_surveys.web.problems import problem_for, reconnect_if_cannot_write, retry_after_for

#: `request.state` keys set by the page controller (`responses.page_state`): the posted form of a
#: failed post, and the free-text answers in it with their question labels.
POSTED_FORM = "posted_form"
TYPED_TEXTS = "typed_texts"
#: Failures after which the answers can be sent again as they are (the survey comes back filled in).
_RETRYABLE = {403, 409, 429, 500, 503}


def _wording(exc: Exception, status: int) -> tuple[str, str]:
    """(title key, body key) of the i18n strings for this failure."""
    if isinstance(exc, IdempotencyConflict):
        return "already_title", "already_body"
    if isinstance(exc, Gone):
        return "closed_title", "closed_body"
    if isinstance(exc, Conflict) and exc.code == "campaign_not_open":
        return "not_open_title", "not_open_body"
    if isinstance(exc, TooManyRequests) or status == 429:
        return "rate_title", "rate_body"
    if isinstance(exc, Forbidden) and exc.code == "csrf_failed":
        return "csrf_title", "csrf_body"
    if isinstance(exc, NotFound) or status in (404, 405):
        return "not_found_title", "not_found_body"
    if status == 413:
        return "bad_request_title", "too_large_body"
    if status >= 500:
        return "server_error_title", "server_error_body"
    return "bad_request_title", "bad_request_body"


def _survey_path(request: Request[Any, Any, Any]) -> str | None:
    """/s/{slug} of the page that failed, for the "back to the survey" link and language links."""
    parts = request.url.path.strip("/").split("/")
    if len(parts) >= 2 and parts[0] == "s" and parts[1]:
        return f"/s/{parts[1]}"
    return None


def html_error_page(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    status, _ = problem_for(exc)  # logs unexpected errors
    reconnect_if_cannot_write(request, exc)
    lang = request_language(request, request.state.get(PAGE_LANGUAGE))
    title_key, body_key = _wording(exc, status)
    survey = _survey_path(request)
    # "Not found" switches language in place (the survey part of an unknown address may be
    # another, real survey); other failures lead back to the survey in the chosen language.
    switch_path = request.url.path if status == 404 else survey or request.url.path
    context = base_context(lang, t(lang, title_key), switch_path)
    show_back = survey is not None and status not in (404, 410)
    context.update(heading_key=title_key, body_key=body_key, back_href=survey if show_back else None)
    cookies = _hand_back(request, exc, status, survey, context)
    # The controller's response headers do not reach exception handlers' responses.
    headers = {header.name: header.value or "" for header in SECURITY_HEADERS}
    if status == 405 and isinstance(exc, HTTPException) and exc.headers:
        headers.update(exc.headers)
    wait = retry_after_for(exc, status)
    if wait is not None:
        headers["Retry-After"] = str(wait)
    return Template("respondent/message.html", context=context, status_code=status, headers=headers, cookies=cookies)


def _hand_back(
    request: Request[Any, Any, Any], exc: Exception, status: int, survey: str | None, context: dict[str, Any]
) -> list[Any]:
    """Nothing typed is thrown away: after a failed post the page carries the answers back.

    A retryable failure (busy, not open yet, database down, expired form) gets a button that
    posts them again as a language switch, which only re-renders the questionnaire filled in (no
    validation, nothing stored). "Already answered with this key" gets "answer again", which
    re-renders them under a new key. A closed survey cannot take them: its page shows the
    free-text answers to copy. Returns the cookies to set (a fresh CSRF nonce if needed)."""
    posted = request.state.get(POSTED_FORM)
    if survey is None or not isinstance(posted, dict) or request.method != "POST":
        return []
    lang = context["lang"]
    signer = request.app.state.get("signer")
    app_context = request.app.state.get("ctx")
    secure = bool(getattr(getattr(app_context, "settings", None), "secure_cookies", False))
    if status == 410:
        context["typed_texts"] = request.state.get(TYPED_TEXTS) or []
        return []
    if status not in _RETRYABLE or not isinstance(signer, Signer):
        return []
    csrf, cookies = csrf_pair(request, signer, secure=secure)
    fields = [
        (name, value) for name, values in posted.items() if name not in (CSRF_FIELD, SWITCH_FIELD) for value in values
    ]
    fields.append((CSRF_FIELD, csrf))
    if isinstance(exc, IdempotencyConflict):
        fields = [(n, v) for n, v in fields if n not in ("_key", "_path")] + [("_path", request.url.path)]
        context["carry"] = {"action": f"{survey}/again", "fields": fields, "button": "answer_again", "note": None}
    else:
        context["carry"] = {
            "action": request.url.path, "fields": fields, "button": "back_to_answers", "note": None,
            "switch": {"name": SWITCH_FIELD, "value": lang},
        }  # fmt: skip
    context["back_href"] = None
    return list(cookies)


def html_error_handlers() -> dict[type[Exception] | int, Any]:
    return {Exception: html_error_page}
