"""Respondent pages: server-rendered questionnaires that work on a phone and without JavaScript.

Routes (all under /s):
  GET/POST /{slug}                 public link; for access-code campaigns the code page, then the form
  POST     /{slug}/code            check an access code, remember it in a signed cookie
  POST     /{slug}/again           "answer again": a new form key for this browser (shared devices)
  GET/POST /{slug}/{token}         a school's link (teacher campaigns)
  GET      /{slug}/thanks          after POST-redirect-GET
  GET      /{slug}[/{token}]/qr.svg|qr.png
  GET      /{slug}/code                 back to /{slug} (the code form's address, opened directly)
  GET      /s, deeper unknown addresses  the "not found" page, translated (not the API's JSON)

Posts go through the same service as the JSON API (`service.store` / `store_with_code`), keyed
by the form key, which the browser keeps per campaign in a signed cookie (`page_state`): a double
click, a reload or Back-then-submit stores one response, and a browser that already answered is
told so (with a deliberate "answer again"). Every form carries a CSRF token; a filled honeypot
field is thanked and dropped. Draft campaigns do not exist here (404 on every route).

Every form's language choices are submit buttons of the form (`SWITCH_FIELD`): such a post
re-renders the same answers (or the typed code) in the chosen language and neither validates nor
stores anything. Nothing typed is thrown away: an expired access code carries the answers to the
code page, and the error pages (`web.html_errors`) hand them back.

On the pages, answers to questions whose show-if is not met are dropped before validation
(without JavaScript they cannot be unticked); the JSON API rejects them.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie, State
from litestar.params import FromPath
from litestar.response import Redirect, Template

from pmp_surveys.distribution import qr
from pmp_surveys.distribution import repository as distribution
from pmp_surveys.distribution.service import hash_code, normalize_code
from pmp_surveys.errors import Conflict, NotFound
from pmp_surveys.instruments.definition import LANGUAGES, Instrument, Lang, TextQuestion
from pmp_surveys.instruments.validation import AnswersInvalid
from pmp_surveys.responses import repository, service
from pmp_surveys.responses.page_models import (
    FormValues,
    answers_from_form,
    without_unmet_conditions,
)
from pmp_surveys.responses.page_render import (
    CODE_COOKIE,
    CODE_FIELD,
    CODE_MAX_AGE,
    HONEYPOT_FIELD,
    LANG_FIELD,
    PATH_FIELD,
    QR_CACHE,
    check_csrf,
    code_page,
    find_campaign,
    find_school,
    message,
    raise_if_draft,
    raise_unless_open,
    survey_page,
    trust,
    unless_new,
    unless_open,
)
from pmp_surveys.responses.page_render import first_value as _first
from pmp_surveys.responses.page_state import (
    KEY_FIELD,
    POSTED_FORM,
    TYPED_TEXTS,
    carried_fields,
    key_cookie,
    new_key,
)
from pmp_surveys.web.context import context_from
from pmp_surveys.web.csrf import CSRF_FIELD, signer_from
from pmp_surveys.web.html_errors import html_error_handlers
from pmp_surveys.web.i18n import t
from pmp_surveys.web.pagekit import (
    PAGE_LANGUAGE,
    SECURITY_HEADERS,
    SWITCH_FIELD,
    base_context,
    language_cookie,
    limit_page_submission,
    request_language,
)


def _code_purpose(slug: str) -> str:
    return f"access-code:{slug}"


async def _form(request: Request[Any, Any, Any]) -> dict[str, list[str]]:
    form = await request.form()
    values = {key: [v for v in form.getall(key) if isinstance(v, str)] for key in form}
    request.state[POSTED_FORM] = values  # an error page hands these back
    return values


def _typed_texts(instrument: Instrument, form: FormValues, lang: Lang) -> list[tuple[str, str]]:
    """(question label, text) of every free-text answer, for a page that cannot take them."""
    return [
        (q.label.get(lang), text)
        for q in instrument.questions
        if isinstance(q, TextQuestion) and (text := (_first(form, q.id) or "").strip())
    ]


class RespondentPages(Controller):
    path = "/s"
    include_in_schema = False
    exception_handlers = html_error_handlers()
    response_headers = SECURITY_HEADERS

    # --- pages ---------------------------------------------------------------------------

    @get("/{slug:str}", summary="Questionnaire (or access-code entry)")
    async def survey(self, request: Request[Any, Any, Any], state: State, slug: FromPath[str]) -> Response[Any]:
        ctx = context_from(state)
        lang = request_language(request)
        conn = ctx.pg
        identity = await self._campaign(ctx, conn, slug)
        if (page := await self._unless_open(ctx, conn, request, identity, slug, lang)) is not None:
            return page
        if identity.access_mode == "school_link":
            return self._message(request, lang, slug, "school_link_title", "school_link_body", status=200)
        if (page := await self._unless_new(request, state, identity, slug, lang)) is not None:
            return page
        code_token = None
        if identity.access_mode == "access_code":
            code_token = request.cookies.get(CODE_COOKIE)
            if signer_from(state).unsign(_code_purpose(slug), code_token) is None:
                return self._code_page(request, state, identity, slug, lang)
        record = await ctx.versions.get(ctx.pg, identity.instrument_version_id)
        return self._survey_page(
            request, state, identity, record, slug, lang, action=f"/s/{slug}", code_token=code_token
        )

    @get("/{slug:str}/{token:str}", summary="Questionnaire through a school's link")
    async def school_survey(
        self, request: Request[Any, Any, Any], state: State, slug: FromPath[str], token: FromPath[str]
    ) -> Response[Any]:
        ctx = context_from(state)
        lang = request_language(request)
        conn = ctx.pg
        identity = await self._campaign(ctx, conn, slug)
        school = await self._school(conn, identity, token)
        if (page := await self._unless_open(ctx, conn, request, identity, slug, lang)) is not None:
            return page
        if (page := await self._unless_new(request, state, identity, slug, lang)) is not None:
            return page
        record = await ctx.versions.get(ctx.pg, identity.instrument_version_id)
        return self._survey_page(
            request, state, identity, record, slug, lang, action=f"/s/{slug}/{token}", school=school.school_name
        )

    @get("/{slug:str}/thanks", summary="Thank-you page")
    async def thanks(self, request: Request[Any, Any, Any], state: State, slug: FromPath[str]) -> Response[Any]:
        ctx = context_from(state)
        lang = request_language(request)
        conn = ctx.pg
        identity = await self._campaign(ctx, conn, slug)
        await self._raise_if_draft(conn, identity)
        record = await ctx.versions.get(ctx.pg, identity.instrument_version_id)
        title = record.instrument.title.get(lang)
        context = base_context(lang, f"{t(lang, 'thanks_title')} — {title}", f"/s/{slug}/thanks")
        context.update(heading_key="thanks_title", body_key="thanks_body", back_href=None, survey_title=title)
        context.update(self._trust(ctx, identity, slug, lang))
        return Template(
            "respondent/message.html",
            context=context,
            cookies=language_cookie(request, lang, secure=ctx.settings.secure_cookies),
        )

    # --- posts ---------------------------------------------------------------------------

    @post("/{slug:str}", summary="Submit the questionnaire", status_code=303)
    async def submit(self, request: Request[Any, Any, Any], state: State, slug: FromPath[str]) -> Response[Any]:
        return await self._submit(request, state, slug, token=None)

    @post("/{slug:str}/{token:str}", summary="Submit through a school's link", status_code=303)
    async def school_submit(
        self, request: Request[Any, Any, Any], state: State, slug: FromPath[str], token: FromPath[str]
    ) -> Response[Any]:
        return await self._submit(request, state, slug, token=token)

    @post("/{slug:str}/again", summary="Answer again from this browser", status_code=303)
    async def again(self, request: Request[Any, Any, Any], state: State, slug: FromPath[str]) -> Response[Any]:
        """A new form key for this browser: the questionnaire again, empty or with carried answers."""
        ctx, signer = context_from(state), signer_from(state)
        form = await _form(request)
        lang = request_language(request, _first(form, LANG_FIELD))
        request.state[PAGE_LANGUAGE] = lang
        self._check_csrf(request, signer, form)
        conn = ctx.pg
        identity = await self._campaign(ctx, conn, slug)
        await self._raise_unless_open(conn, identity)
        path, school = f"/s/{slug}", None
        requested = _first(form, PATH_FIELD) or ""
        if requested.startswith(f"/s/{slug}/") and requested.count("/") == 3:
            school = (await self._school(conn, identity, requested.rsplit("/", 1)[1])).school_name
            path = requested
        key = new_key()
        answers = {k: v for k, v in form.items() if k not in (KEY_FIELD, PATH_FIELD, CSRF_FIELD, LANG_FIELD)}
        if not answers or identity.access_mode == "access_code":
            redirect = Redirect(path, query_params={"lang": lang}, status_code=303)
            redirect.cookies.append(key_cookie(signer, slug, key, secure=ctx.settings.secure_cookies))
            return redirect
        record = await ctx.versions.get(conn, identity.instrument_version_id)
        return self._survey_page(
            request, state, identity, record, slug, lang, action=path, posted=answers, key=key, school=school
        )

    @post("/{slug:str}/code", summary="Check an access code", status_code=303)
    async def enter_code(self, request: Request[Any, Any, Any], state: State, slug: FromPath[str]) -> Response[Any]:
        ctx, signer = context_from(state), signer_from(state)
        form = await _form(request)
        switch_to = _first(form, SWITCH_FIELD)
        switching = SWITCH_FIELD in form
        form = {name: values for name, values in form.items() if name != SWITCH_FIELD}
        lang = request_language(request, switch_to if switch_to in LANGUAGES else _first(form, LANG_FIELD))
        request.state[PAGE_LANGUAGE] = lang  # for an error page
        self._check_csrf(request, signer, form)
        typed = (_first(form, "code") or "").strip()
        conn = ctx.pg
        identity = await self._campaign(ctx, conn, slug)
        if identity.access_mode != "access_code":
            raise NotFound("This survey does not use access codes.", code="campaign_not_found")
        await self._raise_unless_open(conn, identity)
        carry = carried_fields(form, drop=(LANG_FIELD, CODE_FIELD))

        def again(error: str | None, status: int) -> Template:
            return self._code_page(
                request, state, identity, slug, lang, error=error, typed=typed, carry=carry, status=status
            )

        if switching:
            return again(None, 200)
        await limit_page_submission(request)
        code = normalize_code(typed)
        used = None if code is None else await distribution.code_state(conn, identity.id, hash_code(code))
        if not typed:
            return again("code_missing", 422)
        if code is None or used is None:
            return again("code_wrong", 422)
        if used:
            return again("code_used", 409)
        token = signer.sign(_code_purpose(slug), code, max_age=CODE_MAX_AGE)
        cookie = Cookie(
            key=CODE_COOKIE,
            value=token,
            path=f"/s/{slug}",
            max_age=CODE_MAX_AGE,
            httponly=True,
            samesite="lax",
            secure=ctx.settings.secure_cookies,
        )
        if _first(form, KEY_FIELD) is None:  # no answers carried: on to the questionnaire
            return Redirect(f"/s/{slug}", query_params={"lang": lang}, status_code=303, cookies=[cookie])
        # Answers carried from a submission whose code cookie had expired: store them now.
        record = await ctx.versions.get(conn, identity.instrument_version_id)
        request.state[TYPED_TEXTS] = _typed_texts(record.instrument, form, lang)
        answers = without_unmet_conditions(record.instrument, form)
        thanks = Redirect(f"/s/{slug}/thanks", query_params={"lang": lang}, status_code=303)
        if _first(form, HONEYPOT_FIELD):
            return thanks
        try:
            coded = record.validator.validate(answers_from_form(record.instrument, answers), from_form=True)
        except AnswersInvalid as exc:
            page = self._survey_page(
                request, state, identity, record, slug, lang,
                action=f"/s/{slug}", posted=answers, errors=exc, code_token=token, status=422,
            )  # fmt: skip
            page.cookies.append(cookie)
            return page
        raw_key = _first(form, KEY_FIELD)
        try:
            async with ctx.pg.acquire() as single:
                await service.store_with_code(
                    single, identity=identity, slug=slug, key=service.hash_key(raw_key), coded=coded,
                    code_hash=hash_code(code),
                )  # fmt: skip
        except Conflict as exc:
            if exc.code not in ("access_code_used", "access_code_unknown"):
                raise
            return again("code_used" if exc.code == "access_code_used" else "code_wrong", 409)
        thanks.cookies.append(key_cookie(signer, slug, raw_key or new_key(), secure=ctx.settings.secure_cookies))
        return thanks

    async def _submit(
        self, request: Request[Any, Any, Any], state: State, slug: str, *, token: str | None
    ) -> Response[Any]:
        ctx, signer = context_from(state), signer_from(state)
        form = await _form(request)
        switching = SWITCH_FIELD in form
        switch_to = _first(form, SWITCH_FIELD)
        # Not an answer: nothing after this line (validation included) sees the field.
        form = {name: values for name, values in form.items() if name != SWITCH_FIELD}
        chosen = switch_to if switch_to in LANGUAGES else None
        lang = request_language(request, chosen or _first(form, LANG_FIELD))
        request.state[PAGE_LANGUAGE] = lang  # for an error page
        self._check_csrf(request, signer, form)
        if not switching:
            await limit_page_submission(request)
        thanks = Redirect(f"/s/{slug}/thanks", query_params={"lang": lang}, status_code=303)
        conn = ctx.pg
        identity = await self._campaign(ctx, conn, slug)
        school = await self._school(conn, identity, token) if token is not None else None
        if token is None and identity.access_mode == "school_link":
            raise NotFound("Use the school's link.", code="campaign_not_found")
        record = await ctx.versions.get(ctx.pg, identity.instrument_version_id)
        request.state[TYPED_TEXTS] = _typed_texts(record.instrument, form, lang)
        raw_key = _first(form, KEY_FIELD)
        code = code_token = None
        if token is None and identity.access_mode == "access_code":
            code_token = _first(form, CODE_FIELD) or request.cookies.get(CODE_COOKIE)
            code = signer.unsign(_code_purpose(slug), code_token)
            if (
                code is None
                and not switching
                and raw_key
                and await repository.find_by_key(conn, identity.id, service.hash_key(raw_key))
            ):
                return thanks  # a late retry of a stored submission whose code token has expired
            if code is None:
                # The answers go with the code page; entering the code again stores them.
                carry = carried_fields(form, drop=(LANG_FIELD, CODE_FIELD))
                await self._raise_unless_open(conn, identity)
                return self._code_page(
                    request, state, identity, slug, lang, error="code_expired", carry=carry, status=409
                )
        if switching:
            # A language button: the same answers, unchecked and unstored, in the chosen language.
            await self._raise_unless_open(conn, identity)
            return self._survey_page(
                request, state, identity, record, slug, lang,
                action=request.url.path, posted=form, code_token=code_token, language_chosen=chosen is not None,
                school=school.school_name if school else None,
            )  # fmt: skip
        if _first(form, HONEYPOT_FIELD):
            return thanks  # a bot: pretend, store nothing
        answers = without_unmet_conditions(record.instrument, form)
        try:
            coded = record.validator.validate(answers_from_form(record.instrument, answers), from_form=True)
        except AnswersInvalid as exc:
            return self._survey_page(
                request, state, identity, record, slug, lang,
                action=request.url.path, posted=answers, errors=exc, code_token=_first(form, CODE_FIELD),
                status=422, school=school.school_name if school else None,
            )  # fmt: skip
        key = service.hash_key(raw_key)
        if code is None:
            school_id = school.school_id if school else None
            await service.store(ctx.pg, identity=identity, slug=slug, key=key, coded=coded, school_id=school_id)
        else:
            try:
                async with ctx.pg.acquire() as single:
                    await service.store_with_code(
                        single, identity=identity, slug=slug, key=key, coded=coded, code_hash=hash_code(code)
                    )
            except Conflict as exc:
                if exc.code not in ("access_code_used", "access_code_unknown"):
                    raise
                error = "code_used" if exc.code == "access_code_used" else "code_wrong"
                return self._code_page(request, state, identity, slug, lang, error=error, status=409)
            thanks.set_cookie(CODE_COOKIE, "", path=f"/s/{slug}", max_age=0, httponly=True)
        # This browser has answered with this key: a return (Back, the link again) says so.
        thanks.cookies.append(key_cookie(signer, slug, raw_key or "", secure=ctx.settings.secure_cookies))
        return thanks

    # --- QR codes ------------------------------------------------------------------------

    @get("/{slug:str}/qr.svg", summary="QR code of the public link (SVG)")
    async def qr_svg(self, state: State, slug: FromPath[str]) -> Response[bytes]:
        url = await self._link(state, slug, None)
        return Response(qr.qr_svg(url), media_type="image/svg+xml", headers=QR_CACHE)

    @get("/{slug:str}/qr.png", summary="QR code of the public link (PNG)")
    async def qr_png(self, state: State, slug: FromPath[str]) -> Response[bytes]:
        url = await self._link(state, slug, None)
        return Response(qr.qr_png(url), media_type="image/png", headers=QR_CACHE)

    @get("/{slug:str}/{token:str}/qr.svg", summary="QR code of a school's link (SVG)")
    async def school_qr_svg(self, state: State, slug: FromPath[str], token: FromPath[str]) -> Response[bytes]:
        url = await self._link(state, slug, token)
        return Response(qr.qr_svg(url), media_type="image/svg+xml", headers=QR_CACHE)

    @get("/{slug:str}/{token:str}/qr.png", summary="QR code of a school's link (PNG)")
    async def school_qr_png(self, state: State, slug: FromPath[str], token: FromPath[str]) -> Response[bytes]:
        url = await self._link(state, slug, token)
        return Response(qr.qr_png(url), media_type="image/png", headers=QR_CACHE)

    # --- unknown paths -------------------------------------------------------------------

    @get(
        [
            "/",
            "/{slug:str}/{token:str}/{rest:path}",
            *(f"/{{slug:str}}/{leaf}/{{rest:path}}" for leaf in ("thanks", "code", "again", "qr.svg", "qr.png")),
            *(f"/{{slug:str}}/{{token:str}}/{leaf}/{{rest:path}}" for leaf in ("qr.svg", "qr.png")),
        ],
        summary="Not found (/s itself, deeper unknown paths)",
    )
    async def unknown_page(self) -> None:
        """The translated "not found" page for /s itself and addresses below the routes above,
        instead of the app's JSON 404.

        Litestar's router follows a matching fixed segment (`thanks`, `qr.svg`…) without
        backtracking, hence a catch-all below each; and a `{rest:path}` beside `{slug}` or
        `{token}` would take those parameters' place, hence none directly below /s/ or
        /s/{slug}/ (addresses that deep already reach a handler that answers "not found")."""
        raise NotFound("No page has this address.", code="campaign_not_found")

    @get(["/{slug:str}/code", "/{slug:str}/again"], summary="A form's post address, opened directly")
    async def code_address(self, request: Request[Any, Any, Any], slug: FromPath[str]) -> Redirect:
        """A reload or shared link of the address a form posts to: back to the survey."""
        if len(slug) > 64:
            raise NotFound("No survey has this link.", code="campaign_not_found")
        return Redirect(f"/s/{slug}", query_params={"lang": request_language(request)}, status_code=303)

    async def _link(self, state: State, slug: str, token: str | None) -> str:
        ctx = context_from(state)
        conn = ctx.pg
        identity = await self._campaign(ctx, conn, slug)
        await self._raise_if_draft(conn, identity)
        if token is not None:
            await self._school(conn, identity, token)
        return f"{ctx.settings.base_url}/s/{slug}" + (f"/{token}" if token else "")

    # --- helpers (responses.page_render) --------------------------------------------------

    _check_csrf = staticmethod(check_csrf)
    _campaign = staticmethod(find_campaign)
    _school = staticmethod(find_school)
    _raise_if_draft = staticmethod(raise_if_draft)
    _raise_unless_open = staticmethod(raise_unless_open)
    _unless_open = staticmethod(unless_open)
    _unless_new = staticmethod(unless_new)
    _trust = staticmethod(trust)
    _message = staticmethod(message)
    _survey_page = staticmethod(survey_page)
    _code_page = staticmethod(code_page)
