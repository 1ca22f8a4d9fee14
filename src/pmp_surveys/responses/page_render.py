"""Rendering and lookups shared by the respondent page handlers (`responses.pages`): the
questionnaire, the access-code page and message pages, campaign and school look-ups that answer
404 for drafts and unknown links, and the "already answered" check of the form key."""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, Response
from litestar.datastructures import State
from litestar.response import Template

from pmp_surveys.campaigns.service import campaign_state
from pmp_surveys.db.pg import Executor
from pmp_surveys.distribution import repository as distribution
from pmp_surveys.errors import Conflict, Forbidden, Gone, NotFound
from pmp_surveys.instruments.definition import Lang
from pmp_surveys.instruments.service import VersionRecord
from pmp_surveys.instruments.validation import AnswersInvalid
from pmp_surveys.responses import repository, service
from pmp_surveys.responses.page_models import FormValues, build_questions, error_summary
from pmp_surveys.responses.page_state import KEY_FIELD, key_cookie, new_key, remembered_key
from pmp_surveys.responses.repository import CampaignIdentity
from pmp_surveys.web.context import AppContext, context_from
from pmp_surveys.web.csrf import CSRF_COOKIE, CSRF_FIELD, Signer, signer_from
from pmp_surveys.web.i18n import format_when, t
from pmp_surveys.web.pagekit import base_context, contact_line, csrf_pair, language_cookie, municipality_name

LANG_FIELD: Final = "_lang"
CODE_FIELD: Final = "_code"
#: The survey address an "answer again" post returns to (the public or a school's link).
PATH_FIELD: Final = "_path"
#: The ids of the forms the language buttons in the page header belong to.
FORM_ID: Final = "survey-form"
CODE_FORM_ID: Final = "code-form"
#: The honeypot: hidden from people by CSS; bots fill it.
HONEYPOT_FIELD: Final = "website"
CODE_COOKIE: Final = "pmp_code"
CODE_MAX_AGE: Final = 6 * 3600
QR_CACHE: Final = {"Cache-Control": "public, max-age=3600"}


def first_value(form: FormValues, key: str) -> str | None:
    """The first value posted under `key`, or None."""
    values = form.get(key)
    return values[0] if values else None


def check_csrf(request: Request[Any, Any, Any], signer: Signer, form: FormValues) -> None:
    if not signer.csrf_valid(request.cookies.get(CSRF_COOKIE), first_value(form, CSRF_FIELD)):
        raise Forbidden("The form has expired; reload the page.", code="csrf_failed")


async def find_campaign(ctx: AppContext, conn: Executor, slug: str) -> CampaignIdentity:
    if len(slug) > 64:
        raise NotFound("No survey has this link.", code="campaign_not_found")
    return await ctx.identities.get(conn, slug)


async def find_school(conn: Executor, identity: CampaignIdentity, token: str | None) -> distribution.SchoolLinkTarget:
    school = None
    if token is not None and len(token) <= 32 and identity.access_mode != "access_code":
        school = await distribution.school_by_token(conn, identity.id, token)
    if school is None:
        raise NotFound("No school has this link.", code="campaign_not_found")
    return school


async def raise_if_draft(conn: Executor, identity: CampaignIdentity) -> None:
    """A draft campaign does not exist for respondents (404), whatever the route."""
    window = await repository.campaign_window(conn, identity.id)
    if window is None or window.status == "draft":
        raise NotFound("No survey has this link.", code="campaign_not_found")


async def raise_unless_open(conn: Executor, identity: CampaignIdentity) -> None:
    window = await repository.campaign_window(conn, identity.id)
    if window is None or window.status == "draft":
        raise NotFound("No survey has this link.", code="campaign_not_found")
    state = campaign_state(window)
    if state == "closed":
        raise Gone("This survey is closed.", code="campaign_closed")
    if state == "not_yet_open":
        raise Conflict("This survey is not open yet.", code="campaign_not_open")


async def unless_open(
    ctx: AppContext,
    conn: Executor,
    request: Request[Any, Any, Any],
    identity: CampaignIdentity,
    slug: str,
    lang: Lang,
) -> Response[Any] | None:
    """The "not open yet" page (with its date) for a campaign that will open; raises for
    closed or draft ones; None when it takes answers."""
    window = await repository.campaign_window(conn, identity.id)
    if window is not None and campaign_state(window) == "not_yet_open" and window.opens_at is not None:
        body = f"{t(lang, 'not_open_body')} {t(lang, 'opens_on', when=format_when(window.opens_at, lang))}"
        return message(request, lang, slug, "not_open_title", None, status=200, body=body)
    await raise_unless_open(conn, identity)
    return None


async def unless_new(
    request: Request[Any, Any, Any], state: State, identity: CampaignIdentity, slug: str, lang: Lang
) -> Response[Any] | None:
    """The "you already answered" page (with "answer again") when this browser's form key is
    stored, else None."""
    ctx, signer = context_from(state), signer_from(state)
    key = remembered_key(request, signer, slug)
    if key is None or await repository.find_by_key(ctx.pg, identity.id, service.hash_key(key)) is None:
        return None
    page = message(request, lang, slug, "answered_title", "answered_body", status=200)
    csrf, cookies = csrf_pair(request, signer, secure=ctx.settings.secure_cookies)
    page.context.update(trust(ctx, identity, slug, lang))
    page.context["carry"] = {
        "action": f"/s/{slug}/again",
        "fields": [(CSRF_FIELD, csrf), (LANG_FIELD, lang), (PATH_FIELD, request.url.path)],
        "button": "answer_again",
        "note": "answer_again_note",
    }
    page.cookies.extend(cookies)
    return page


def trust(ctx: AppContext, identity: CampaignIdentity, slug: str, lang: Lang) -> dict[str, Any]:
    """Who runs the survey (header), and whether it is a demonstration."""
    return {
        "municipality": municipality_name(ctx.catalogue, identity.municipality, lang),
        "contact": contact_line(ctx.catalogue, identity.municipality, lang),
        "demo": slug.startswith("demo-"),
    }


def message(
    request: Request[Any, Any, Any],
    lang: Lang,
    slug: str,
    heading_key: str,
    body_key: str | None,
    *,
    status: int,
    body: str | None = None,
) -> Template:
    context = base_context(lang, t(lang, heading_key), request.url.path)
    context.update(heading_key=heading_key, body_key=body_key, body=body, back_href=None)
    return Template("respondent/message.html", context=context, status_code=status)


def survey_page(
    request: Request[Any, Any, Any],
    state: State,
    identity: CampaignIdentity,
    record: VersionRecord,
    slug: str,
    lang: Lang,
    *,
    action: str,
    posted: FormValues | None = None,
    errors: AnswersInvalid | None = None,
    code_token: str | None = None,
    status: int = 200,
    language_chosen: bool = False,
    key: str | None = None,
    school: str | None = None,
) -> Template:
    """The questionnaire; with `posted` answers filled in. The language choices are buttons
    of the form, so switching keeps what is typed. `language_chosen`: `lang` came from a
    language button. The form key: `key`, else the posted one, else this browser's, else new."""
    ctx, signer = context_from(state), signer_from(state)
    instrument = record.instrument
    title = instrument.title.get(lang)
    questions = build_questions(instrument, lang, posted, errors)
    summary = error_summary(questions, lang) if errors else []
    page_title = f"{t(lang, 'title_error')}: {title}" if errors else title
    context = base_context(lang, page_title, action, switch_form=FORM_ID)
    csrf, cookies = csrf_pair(request, signer, secure=ctx.settings.secure_cookies)
    remembered = remembered_key(request, signer, slug)
    key = key or (posted and first_value(posted, KEY_FIELD)) or remembered or new_key()
    if key != remembered:
        cookies.append(key_cookie(signer, slug, key, secure=ctx.settings.secure_cookies))
    context.update(trust(ctx, identity, slug, lang))
    context.update(
        form_id=FORM_ID,
        title=title,
        school=school,
        intro=instrument.intro.get(lang) if instrument.intro else None,
        questions=questions,
        total=len(questions),
        summary=summary,
        action=action,
        csrf=csrf,
        key=key,
        code_token=code_token,
        fields={"csrf": CSRF_FIELD, "key": KEY_FIELD, "lang": LANG_FIELD, "code": CODE_FIELD},
        honeypot=HONEYPOT_FIELD,
    )
    cookies += language_cookie(request, lang, secure=ctx.settings.secure_cookies, chosen=language_chosen)
    return Template("respondent/survey.html", context=context, status_code=status, cookies=cookies)


def code_page(
    request: Request[Any, Any, Any],
    state: State,
    identity: CampaignIdentity,
    slug: str,
    lang: Lang,
    *,
    error: str | None = None,
    typed: str = "",
    carry: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> Template:
    """The access-code form; `carry`: answers (and their form key) it posts on with the code."""
    ctx, signer = context_from(state), signer_from(state)
    page_title = t(lang, "code_title")
    title = f"{t(lang, 'title_error')}: {page_title}" if error else page_title
    context = base_context(lang, title, f"/s/{slug}", switch_form=CODE_FORM_ID)
    csrf, cookies = csrf_pair(request, signer, secure=ctx.settings.secure_cookies)
    context.update(trust(ctx, identity, slug, lang))
    context.update(
        form_id=CODE_FORM_ID,
        action=f"/s/{slug}/code",
        csrf=csrf,
        error=t(lang, error) if error else None,
        typed=typed[:40],
        carry=carry or [],
        fields={"csrf": CSRF_FIELD, "lang": LANG_FIELD},
    )
    cookies += language_cookie(request, lang, secure=ctx.settings.secure_cookies)
    return Template("respondent/code.html", context=context, status_code=status, cookies=cookies)
