"""Admin pages for keying in paper questionnaires (evaluators): the entry form and its report.

    GET  /admin/campaigns/{slug}/paper[?double=1]   the form: one field per question, codes as printed
    POST /admin/campaigns/{slug}/paper              store (or hold, in double entry) one questionnaire
    GET  /admin/campaigns/{slug}/paper/report       double-entry comparison report and the mode mix

The rules are in `responses.paper_service`; this module only translates HTTP.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.admin.common import AdminPageController
from pmp_surveys.admin.forms import Posted
from pmp_surveys.admin.rendering import admin_lang, render
from pmp_surveys.audit.service import record
from pmp_surveys.campaigns.management import campaign_for
from pmp_surveys.errors import Conflict, ValidationFailed
from pmp_surveys.instruments.definition import (
    Instrument,
    Lang,
    LikertQuestion,
    MultipleQuestion,
    NumberQuestion,
    Question,
    SingleQuestion,
)
from pmp_surveys.responses import import_repository
from pmp_surveys.responses.paper_service import PaperOutcome, enter_paper, paper_report
from pmp_surveys.schools.repository import SchoolRepository
from pmp_surveys.web.context import context_from

#: This page's own words (lv, en); the shared admin vocabulary stays in `admin.i18n`.
WORDS: dict[str, tuple[str, str]] = {
    "paper_entry": ("Papīra anketu ievade", "Paper questionnaire entry"),
    "paper_help": (
        "Ievadiet atbilžu kodus, kā tie drukāti anketā; Tab pāriet uz nākamo jautājumu, Enter saglabā. "
        "Vairākas atbildes — kodi ar atstarpi; „nezinu” — 99. Tukšs lauks — nav atbildes.",
        "Type the answer codes as printed on the form; Tab moves to the next question, Enter saves. "
        "Several answers: codes separated by spaces; “don't know”: 99. Blank: no answer.",
    ),
    "sheet": ("Anketas numurs", "Questionnaire number"),
    "double": ("Dubultā ievade (katru anketu ievada divreiz)", "Double entry (each questionnaire keyed twice)"),
    "save_sheet": ("Saglabāt anketu", "Save questionnaire"),
    "stored": ("Anketa {sheet} saglabāta.", "Questionnaire {sheet} stored."),
    "first": (
        "Anketas {sheet} pirmā ievade saglabāta; ievadiet to vēlreiz (vēlams citam kolēģim).",
        "First keying of questionnaire {sheet} saved; key it again (preferably another colleague).",
    ),
    "conflict": (
        "Anketas {sheet} ievades atšķiras — pārbaudiet papīra anketu un ievadiet to trešo reizi.",
        "The keyings of questionnaire {sheet} differ — check the paper form and key it a third time.",
    ),
    "question": ("Jautājums", "Question"),
    "first_keying": ("1. ievade", "1st keying"),
    "second_keying": ("2. ievade", "2nd keying"),
    "report": ("Ievades pārskats", "Entry report"),
    "stored_count": ("Saglabātas anketas", "Questionnaires stored"),
    "waiting": ("Gaida otro ievadi", "Waiting for the second keying"),
    "open_conflicts": ("Neatrisinātas atšķirības", "Unresolved differences"),
    "disagreed": ("Anketas, kuru ievades atšķīrās", "Questionnaires whose keyings differed"),
    "disagreeing_answers": ("Atšķirīgas atbildes kopā", "Differing answers in total"),
    "modes": ("Atbilžu veidi", "Modes of collection"),
    "mode_web": ("tīmeklī", "web"),
    "mode_paper": ("papīra anketas", "paper"),
    "mode_tablet": ("planšetē (KoboCollect/ODK)", "tablet (KoboCollect/ODK)"),
    "mode_phone": ("pa tālruni", "telephone"),
    "mode_other": ("cits rīks", "other tool"),
    "school": ("Skola", "School"),
    "none": ("—", "—"),
}


def words(lang: str) -> Any:
    def w(key: str, **params: Any) -> str:
        text = WORDS[key][0 if lang == "lv" else 1]
        return text.format(**params) if params else text

    return w


def legend(q: Question, lang: str) -> str:
    """What to type for `q`, e.g. "1 = Jā · 0 = Nē" or "1–5 · 99 = nezinu"."""
    pick: Lang = "lv" if lang == "lv" else "en"
    if isinstance(q, SingleQuestion | MultipleQuestion):
        return " · ".join(f"{o.code} = {o.label.get(pick)}" for o in q.options)
    if isinstance(q, LikertQuestion):
        text = f"1–{q.points}"
        if q.labels:
            text += f" (1 = {q.labels[0].get(pick)}, {q.points} = {q.labels[-1].get(pick)})"
        elif q.anchors:
            text += f" (1 = {q.anchors[0].label.get(pick)}, {q.points} = {q.anchors[-1].label.get(pick)})"
        return text + (" · 99 = " + ("nezinu" if lang == "lv" else "don't know") if q.dont_know else "")
    if isinstance(q, NumberQuestion):
        low = "" if q.min is None else f"{q.min:g}"
        high = "" if q.max is None else f"{q.max:g}"
        return f"{low}–{high}" if low or high else ""
    return ""


class AdminPaperPages(AdminPageController):
    async def _context(
        self, state: State, session: AsyncSession, user: CurrentUser, slug: str
    ) -> tuple[Any, Instrument, Any]:
        campaign, version = await campaign_for(session, user, slug)
        require_evaluator(user, campaign.municipality)
        ctx = context_from(state)
        record_ = await ctx.versions.get(ctx.pg, version.id)
        return campaign, record_.instrument, record_.validator

    async def _form(
        self,
        request: Request[Any, Any, Any],
        session: AsyncSession,
        user: CurrentUser,
        campaign: Any,
        instrument: Instrument,
        *,
        double: bool,
        status: int = 200,
        errors: list[Any] | None = None,
        outcome: PaperOutcome | None = None,
        values: dict[str, str] | None = None,
    ) -> Response[Any]:
        lang = admin_lang(request)
        schools = []
        if campaign.audience == "teachers":
            schools = list(await SchoolRepository(session).for_municipality(campaign.municipality))
        pick: Lang = "lv" if lang == "lv" else "en"
        questions = [
            {
                "id": q.id,
                "label": q.label.get(pick),
                "legend": legend(q, lang),
                "long": not legend(q, lang) and not isinstance(q, NumberQuestion),
            }
            for q in instrument.questions
        ]
        return render(
            request,
            "paper.html",
            user=user,
            status=status,
            w=words(lang),
            campaign=campaign,
            questions=questions,
            schools=schools,
            double=double,
            errors=errors or [],
            outcome=outcome,
            values=values or {},
        )

    async def _school_ids(self, session: AsyncSession, campaign: Any) -> set[int]:
        return {s.id for s in await SchoolRepository(session).for_municipality(campaign.municipality)}

    @get("/campaigns/{slug:str}/paper", summary="Key in paper questionnaires")
    async def paper(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        slug: FromPath[str],
        double: Annotated[bool, QueryParameter(description="double entry")] = False,
    ) -> Response[Any]:
        campaign, instrument, _ = await self._context(state, session, user, slug)
        return await self._form(request, session, user, campaign, instrument, double=double)

    @post("/campaigns/{slug:str}/paper", summary="Store one keyed-in paper questionnaire", status_code=200)
    async def enter(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        form: NamedDependency[Posted],
        slug: FromPath[str],
    ) -> Response[Any]:
        campaign, instrument, validator = await self._context(state, session, user, slug)
        double = form.get("double") in ("1", "on", "true")
        school_raw = form.get("school")
        school_id = int(school_raw) if school_raw.isdigit() else None
        try:
            if school_raw and (
                campaign.audience != "teachers" or school_id not in await self._school_ids(session, campaign)
            ):
                raise ValidationFailed(
                    "Unknown school.",
                    errors=[{"field": "school", "code": "unknown", "message": "Choose a school of this municipality."}],
                )
            outcome = await enter_paper(
                session,
                campaign,
                instrument,
                validator,
                sheet=form.get("sheet"),
                fields=form.fields,
                double=double,
                school_id=school_id,
                lang=admin_lang(request),
            )
        except (ValidationFailed, Conflict) as exc:
            errors = (
                exc.errors
                if isinstance(exc, ValidationFailed)
                else [{"field": "sheet", "code": exc.code or "", "message": exc.message}]
            )
            return await self._form(
                request,
                session,
                user,
                campaign,
                instrument,
                double=double,
                status=422,
                errors=errors,
                values=form.fields,
            )
        details = {"sheet": outcome.sheet, "double": double, "outcome": outcome.status}
        await record(session, user, "responses.paper", "campaign", campaign.slug, campaign.municipality, details)
        keep = {"school": school_raw} if outcome.status != "conflict" else form.fields
        return await self._form(
            request, session, user, campaign, instrument, double=double, outcome=outcome, values=keep
        )

    @get("/campaigns/{slug:str}/paper/report", summary="Paper entry: double-entry comparison and mode mix")
    async def report(
        self,
        request: Request[Any, Any, Any],
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        slug: FromPath[str],
    ) -> Response[Any]:
        campaign, instrument, _ = await self._context(state, session, user, slug)
        summary = await paper_report(session, campaign.id, instrument)
        modes = await import_repository.mode_mix(context_from(state).pg, [campaign.id])
        return render(
            request,
            "paper_report.html",
            user=user,
            w=words(admin_lang(request)),
            campaign=campaign,
            summary=summary,
            modes=modes,
        )
