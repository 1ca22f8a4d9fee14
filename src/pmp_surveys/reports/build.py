"""Gather a report: run the evaluation and collect each survey's fieldwork, returns and item figures.

Entry point :func:`build_report` (async, against the database). It reads the wave's responses
once (:func:`pmp_surveys.indicators.service.load_inputs`), runs the pure evaluation on them and
computes the per-survey details from the same frames (:func:`survey_section`, pure). Every figure
of a group under the municipality's suppression threshold is withheld here, before any writer
sees the model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import partial

import anyio.to_thread
import msgspec
import polars as pl
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.analysis.suppression import is_small
from pmp_surveys.catalogue.schema import Municipality
from pmp_surveys.distribution.service import response_rates
from pmp_surveys.evaldata.activities import activity_rows
from pmp_surveys.evaldata.margins import with_stored_margins
from pmp_surveys.indicators.evaluate import BaselineChoice, EvaluationInputs, evaluate
from pmp_surveys.indicators.extract import WaveResponses
from pmp_surveys.indicators.repository import IndicatorRepository
from pmp_surveys.indicators.scales import scale_alpha, scale_rules
from pmp_surveys.indicators.schemas import CatalogueVersionRef, Evaluation
from pmp_surveys.indicators.service import load_inputs
from pmp_surveys.indicators.subgroups import subgroup_tables
from pmp_surveys.instruments.coding import DONT_KNOW, DONT_KNOW_CODE, multiple_var_name
from pmp_surveys.instruments.definition import (
    Instrument,
    LikertQuestion,
    MultipleQuestion,
    NumberQuestion,
    Question,
    SingleQuestion,
    Text,
    kind_of,
)
from pmp_surveys.reports.disclosure import protect_item, protect_report
from pmp_surveys.reports.model import (
    AlphaRow,
    CampaignInfo,
    DesignUse,
    ItemDistribution,
    ItemNonResponse,
    ItemQualityRow,
    Label,
    Report,
    SchoolRateRow,
    SurveySection,
)
from pmp_surveys.reports.quality import item_quality
from pmp_surveys.reports.repository import CampaignRow, ReportRepository
from pmp_surveys.reports.trend import earlier_evaluations, trend_series

__all__ = ["assemble_report", "build_report", "is_demo_campaign", "plan_instruments", "school_kinds", "survey_section"]

Progress = Callable[[str], None]

INSTRUMENT_TITLES: dict[str, Label] = {
    "parent-satisfaction": Label("Vecāku apmierinātības aptauja", "Parent satisfaction survey"),
    "resident-perception": Label("Iedzīvotāju aptauja", "Resident perception survey"),
    "teacher-self-efficacy": Label("Pedagogu pašefektivitātes aptauja", "Teacher self-efficacy survey"),
}


def _quiet(_: str) -> None:
    return None


def is_demo_campaign(title: str, slug: str) -> bool:
    """Demo campaigns are labelled: a title starting "DEMO" or a slug starting "demo-"."""
    return title.strip().upper().startswith("DEMO") or slug.lower().startswith("demo-")


def _label(text: Text) -> Label:
    return Label(text.lv, text.en)


# -- item figures (pure) ----------------------------------------------------------------------------


def _answered(question: Question, frame: pl.DataFrame) -> pl.Expr | None:
    """True where the question has an answer; None for questions not in the frame (free text)."""
    if isinstance(question, MultipleQuestion):
        names = [multiple_var_name(question.id, o.value) for o in question.options]
        if not all(n in frame.columns for n in names):
            return None
        return pl.any_horizontal([pl.col(n).is_not_null() for n in names])
    if isinstance(question, SingleQuestion | LikertQuestion | NumberQuestion) and question.id in frame.columns:
        return pl.col(question.id).is_not_null()
    return None


def _shown(question: Question, instrument: Instrument, frame: pl.DataFrame) -> pl.Expr:
    """True where the question was shown (its show-if condition met; always without one)."""
    always = pl.int_range(pl.len()) >= 0  # a literal would not broadcast in a sum
    rule = question.show_if
    if rule is None:
        return always
    try:
        ref = instrument.question(rule.question)
    except KeyError:
        return always
    if isinstance(ref, SingleQuestion) and ref.id in frame.columns:
        codes = [o.code for o in ref.options if o.value in rule.in_]
        return pl.col(ref.id).is_in(codes).fill_null(False)
    if isinstance(ref, MultipleQuestion):
        names = [multiple_var_name(ref.id, v) for v in rule.in_ if multiple_var_name(ref.id, v) in frame.columns]
        if names:
            return pl.any_horizontal([(pl.col(n) == 1).fill_null(False) for n in names])
    return always


def _dont_know_codes(question: Question) -> list[int]:
    if isinstance(question, LikertQuestion):
        return [DONT_KNOW_CODE] if question.dont_know else []
    if isinstance(question, SingleQuestion):
        return [o.code for o in question.options if o.value == DONT_KNOW]
    return []


class _Counts:
    def __init__(self, question: Question, label: Label) -> None:
        self.question = question
        self.label = label
        self.shown = 0
        self.blank = 0
        self.dont_know = 0
        self.points: list[int] = []

    def add(self, question: Question, instrument: Instrument, frame: pl.DataFrame) -> None:
        answered = _answered(question, frame)
        if answered is None:
            return
        shown = _shown(question, instrument, frame)
        dk_codes = _dont_know_codes(question)
        dk = pl.col(question.id).is_in(dk_codes).fill_null(False) if dk_codes else pl.lit(False)
        likert = isinstance(question, LikertQuestion)
        points = question.points if isinstance(question, LikertQuestion) else 0
        # one pass over the frame: the three counts and (Likert) the count of every point
        row = frame.select(
            shown.sum().alias("shown"),
            (shown & ~answered).sum().alias("blank"),
            (shown & dk).sum().alias("dk"),
            *[(pl.col(question.id) == point).sum().alias(f"p{point}") for point in range(1, points + 1)],
        ).row(0)
        self.shown += int(row[0] or 0)
        self.blank += int(row[1] or 0)
        self.dont_know += int(row[2] or 0)
        if likert:
            if len(self.points) < points:
                self.points.extend([0] * (points - len(self.points)))
            for point in range(1, points + 1):
                self.points[point - 1] += int(row[2 + point] or 0)


def _point_labels(question: LikertQuestion) -> tuple[Label | None, ...]:
    labels: list[Label | None] = [None] * question.points
    if question.labels:
        for i, text in enumerate(question.labels[: question.points]):
            labels[i] = _label(text)
    for anchor in question.anchors or []:
        if 1 <= anchor.point <= question.points:
            labels[anchor.point - 1] = _label(anchor.label)
    return tuple(labels)


def _items(data: WaveResponses, threshold: int) -> tuple[list[ItemNonResponse], list[ItemDistribution]]:
    counts: dict[str, _Counts] = {}
    order: list[str] = []
    latest = max(data.parts, key=lambda p: p.version)
    for part in sorted(data.parts, key=lambda p: -p.version):
        for q in part.instrument.questions:
            if q.id not in counts:
                counts[q.id] = _Counts(q, _label(q.label))
    for q in latest.instrument.questions:
        order.append(q.id)
    order.extend(qid for qid in counts if qid not in order)
    for part in data.parts:
        for q in part.instrument.questions:
            counts[q.id].add(q, part.instrument, part.frame)
    nonresponse: list[ItemNonResponse] = []
    distributions: list[ItemDistribution] = []
    for qid in order:
        c = counts[qid]
        q = c.question
        if _answered(q, latest.frame) is None and c.shown == 0:
            continue  # free text: not in the coded frame
        small = is_small(c.shown, threshold)
        likert = isinstance(q, LikertQuestion)
        hidden = {} if small else protect_item(c.shown, c.blank, c.dont_know, c.points if likert else None, threshold)
        nonresponse.append(
            ItemNonResponse(
                question=qid,
                label=c.label,
                kind=kind_of(q),
                shown=None if small else c.shown,
                blank=None if (small or "blank" in hidden) else c.blank,
                dont_know=None if (small or not _dont_know_codes(q) or "dont_know" in hidden) else c.dont_know,
                suppressed=small,
                hidden={n: h for n, h in hidden.items() if n in ("blank", "dont_know")},
            )
        )
        if isinstance(q, LikertQuestion):
            answered = sum(c.points) + c.dont_know
            small_item = is_small(answered, threshold)
            distributions.append(
                ItemDistribution(
                    question=qid,
                    label=c.label,
                    points=q.points,
                    point_labels=_point_labels(q),
                    n=None if (small_item or "n" in hidden) else answered,
                    shares=None
                    if small_item
                    else tuple(None if f"p{i + 1}" in hidden else x / answered for i, x in enumerate(c.points)),
                    dont_know=None
                    if (small_item or not q.dont_know or "dont_know" in hidden)
                    else c.dont_know / answered,
                    suppressed=small_item,
                    hidden={n: h for n, h in hidden.items() if n == "n" or n == "dont_know" or n.startswith("p")},
                )
            )
    return nonresponse, distributions


def _reliability(data: WaveResponses, threshold: int, confidence_level: float) -> list[AlphaRow]:
    """Cronbach's alpha of every scale of the latest version (the evaluation's own computation)."""
    rows: list[AlphaRow] = []
    for instrument, rule in scale_rules(data):
        alpha = scale_alpha(data, instrument, rule, confidence_level)
        if alpha is None:
            continue
        small = is_small(alpha.n, threshold)
        rows.append(
            AlphaRow(
                scale=rule.id,
                label=_label(rule.label),
                items=tuple(rule.items),
                n=None if small else alpha.n,
                estimate=None if small else alpha.estimate,
                ci_low=None if small else alpha.ci_low,
                ci_high=None if small else alpha.ci_high,
                suppressed=small,
            )
        )
    return rows


def survey_section(
    instrument: str,
    wave: int,
    data: WaveResponses | None,
    campaigns: Sequence[CampaignRow],
    rates: Sequence[SchoolRateRow] | None,
    evaluation: Evaluation,
) -> SurveySection:
    """One survey's details for the report (pure): fieldwork, returns, reliability, item figures."""
    threshold = evaluation.suppression_threshold
    infos = tuple(
        CampaignInfo(
            id=c.id,
            slug=c.slug,
            title=c.title,
            status=c.status,
            opens_at=c.opens_at,
            closes_at=c.closes_at,
            responses=c.responses,
            demo=is_demo_campaign(c.title, c.slug),
            modes=c.modes,
        )
        for c in campaigns
        if c.instrument_key == instrument
    )
    n = data.n if data is not None else 0
    small = is_small(n, threshold)
    designs = tuple(
        DesignUse(indicator=r.code, design=r.design, design_used=r.design_used, method=r.method)
        for r in evaluation.indicators
        if r.instrument == instrument
    )
    reliability: list[AlphaRow] = []
    nonresponse: list[ItemNonResponse] = []
    distributions: list[ItemDistribution] = []
    quality: list[ItemQualityRow] = []
    if data is not None and data.parts and not small:
        reliability = _reliability(data, threshold, evaluation.confidence_level)
        nonresponse, distributions = _items(data, threshold)
        quality = item_quality(data, threshold)
    title = INSTRUMENT_TITLES.get(instrument)
    if title is None and data is not None and data.parts:
        title = _label(data.parts[0].instrument.title)
    return SurveySection(
        instrument=instrument,
        title=title or Label(instrument, instrument),
        wave=wave,
        campaigns=infos,
        responses=n,
        suppressed=small,
        rates=None if rates is None else tuple(rates),
        reliability=tuple(reliability),
        designs=designs,
        nonresponse=tuple(nonresponse),
        distributions=tuple(distributions),
        item_quality=tuple(quality),
    )


# -- database ---------------------------------------------------------------------------------------


async def _school_rates(session: AsyncSession, campaign_ids: Sequence[int]) -> list[SchoolRateRow]:
    """Responses per school over the wave's teacher campaigns (distribution's counts, summed)."""
    by_school: dict[str, SchoolRateRow] = {}
    for campaign_id in campaign_ids:
        for rate in await response_rates(session, campaign_id):
            known = by_school.get(rate.code)
            responses = rate.responses + ((known.responses or 0) if known else 0)
            by_school[rate.code] = SchoolRateRow(
                code=rate.code,
                name=rate.name,
                teachers=rate.teachers,
                responses=responses,
                rate=(responses / rate.teachers) if rate.teachers else None,
            )
    return sorted(by_school.values(), key=lambda r: r.name)


def plan_instruments(municipality: Municipality) -> list[str]:
    keys: list[str] = []
    for ind in municipality.indicators:
        if ind.survey is not None and ind.survey.instrument not in keys:
            keys.append(ind.survey.instrument)
    return keys


def assemble_report(
    municipality: Municipality,
    evaluation: Evaluation,
    inputs: EvaluationInputs,
    campaigns: Sequence[CampaignRow] = (),
    rates: Mapping[str, Sequence[SchoolRateRow]] | None = None,
    school_kinds: Mapping[int, str] | None = None,
) -> Report:
    """The report model from an evaluation and the responses it read (pure).

    `rates`: school response rates by instrument key (teacher surveys); `school_kinds`: school id
    → the schools register's type, for the teacher indicators by school type."""
    rates = rates or {}
    wave = evaluation.wave
    sections = [
        survey_section(key, wave, inputs.responses.get((key, wave)), campaigns, rates.get(key), evaluation)
        for key in plan_instruments(municipality)
    ]
    report = Report(
        evaluation=evaluation,
        municipality=municipality.code,
        municipality_name=Label(municipality.names.lv, municipality.names.en),
        plan_title=Label(municipality.plan.title.lv, municipality.plan.title.en),
        wave=wave,
        baseline=evaluation.baseline,
        demo=any(is_demo_campaign(c.title, c.slug) for c in campaigns),
        surveys=tuple(sections),
        generated_at=evaluation.generated_at,
        subgroups=tuple(
            subgroup_tables(
                municipality,
                wave,
                inputs,
                threshold=evaluation.suppression_threshold,
                confidence_level=evaluation.confidence_level,
                school_kinds=school_kinds,
            )
        ),
    )
    return protect_report(report)


async def school_kinds(session: AsyncSession, municipality: Municipality) -> dict[int, str]:
    """School id → type (``kind``) for the municipality's schools whose catalogue entry gives one.

    The type lives in the catalogue's schools register (``analysis/municipalities/*.toml``), not in
    the database; schools known only to the database (imported, or Rīga's demo schools) have none."""
    kinds = {s.code: s.kind for s in municipality.schools if s.kind is not None}
    if not kinds:
        return {}
    return {
        s.id: kinds[s.code] for s in await IndicatorRepository(session).schools(municipality.code) if s.code in kinds
    }


async def build_report(
    session: AsyncSession,
    municipality: Municipality,
    wave: int,
    *,
    baseline: BaselineChoice = None,
    confidence_level: float = 0.95,
    progress: Progress = _quiet,
    generated_at: dt.datetime | None = None,
    catalogue_version: CatalogueVersionRef | None = None,
) -> Report:
    """Evaluate `municipality` for `wave` against `baseline` and gather every survey's details.

    `catalogue_version`: the stored plan version `municipality` came from (the report names it).

    Reads only (the session is not committed). The statistics run in a worker thread.
    """
    municipality = await with_stored_margins(session, municipality)  # margins kept in /admin/margins
    inputs = await load_inputs(session, municipality, wave, baseline, progress)
    progress(f"evaluating {len(municipality.indicators)} indicators")
    evaluation = await anyio.to_thread.run_sync(
        partial(
            evaluate,
            municipality,
            wave,
            inputs,
            baseline=baseline,
            confidence_level=confidence_level,
            generated_at=generated_at,
        )
    )
    evaluation = msgspec.structs.replace(evaluation, catalogue_version=catalogue_version)
    campaigns = await ReportRepository(session).wave_campaigns(municipality.code, wave)
    rates: dict[str, list[SchoolRateRow]] = {}
    for key in plan_instruments(municipality):
        mine = [c for c in campaigns if c.instrument_key == key]
        if key == "teacher-self-efficacy" or any(c.audience == "teachers" for c in mine):
            rates[key] = await _school_rates(session, [c.id for c in mine])
    kinds = await school_kinds(session, municipality)
    progress("summarising the surveys")
    report = await anyio.to_thread.run_sync(
        partial(assemble_report, municipality, evaluation, inputs, campaigns, rates, kinds)
    )
    progress("evaluating the earlier waves for the trend")
    earlier = await earlier_evaluations(
        session, municipality, wave, inputs, confidence_level=confidence_level, generated_at=generated_at
    )
    report = msgspec.structs.replace(report, trend=trend_series(municipality, [*earlier, evaluation]))
    activities = tuple(await activity_rows(session, municipality.code, up_to_year=wave))
    return msgspec.structs.replace(report, activities=activities) if activities else report
