"""The report's tables, typed once and written by both the HTML and the XLSX writer.

A :class:`Cell` holds raw numbers (fractions for shares, as in the evaluation JSON); the writers
only format them — HTML as text in the report's language, XLSX as numbers with a number format —
so the three outputs agree by construction. A suppressed cell holds no number at all.

Column kinds and how XLSX spreads them:

- ``text``, ``int``, ``percent`` (a fraction), ``pvalue``, ``decimal``: one column;
- ``interval`` (share with its interval), ``decimal_interval`` (e.g. alpha) and
  ``signed_interval`` (a difference of means, with its sign): value, low, high;
- ``change`` (a difference of shares, shown in percentage points): change, low, high (p.p.);
- ``target``: condition ("≥", "<", …), the share and the target's year;
- ``verdict``: text, with a tone for colour (never colour alone).
"""

from __future__ import annotations

from typing import Literal

import msgspec

from pmp_surveys.indicators.schemas import IndicatorResult, ScaleResult
from pmp_surveys.reports.model import Report, SurveySection
from pmp_surveys.reports.notes import notes_text
from pmp_surveys.reports.strings import VERDICT_TONE, Strings, target_operator

__all__ = ["Cell", "Column", "ColumnKind", "Table", "report_tables", "summary_table", "survey_tables"]

ColumnKind = Literal[
    "text",
    "int",
    "percent",
    "pvalue",
    "decimal",
    "interval",
    "decimal_interval",
    "signed_interval",
    "change",
    "target",
    "verdict",
]


class Column(msgspec.Struct, frozen=True):
    key: str
    title: str
    kind: ColumnKind
    wide: bool = False


class Cell(msgspec.Struct, frozen=True, kw_only=True):
    value: float | int | str | None = None
    low: float | None = None
    high: float | None = None
    op: str | None = None
    year: int | None = None
    suppressed: bool = False
    tone: str | None = None
    withheld: bool = False
    """Withheld so that a small cell cannot be recomputed (secondary suppression): "withheld"."""


EMPTY = Cell()
SUPPRESSED = Cell(suppressed=True)
WITHHELD = Cell(suppressed=True, withheld=True)


def _count(value: int | None, suppressed: bool = False, complement: bool = True) -> Cell:
    """A respondent count: "fewer than k" when its group is small, "withheld" when None otherwise."""
    if suppressed:
        return SUPPRESSED
    if value is None:
        return WITHHELD if complement else SUPPRESSED
    return Cell(value=value)


def _hidden(hidden: dict[str, str], name: str) -> Cell | None:
    """The mark of a cell withheld by `reports.disclosure.protect_item`, else None."""
    kind = hidden.get(name)
    if kind is None:
        return None
    return SUPPRESSED if kind == "primary" else WITHHELD


class Table(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    sheet: str
    """XLSX sheet name (≤ 31 characters, unique in the report)."""
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str | None = None


def _pct(label: float) -> str:
    return f"{round(label * 100)}%"


def _baseline_source(t: Strings, r: IndicatorResult) -> str:
    source = t(f"source_{r.baseline_source}")
    return f"{r.baseline_year}, {source}" if r.baseline_year else source


def _indicator_name(t: Strings, r: IndicatorResult) -> str:
    name = r.name_lv if t.lang == "lv" else r.name
    if r.kind == "expected_result":
        name = f"{name} ({t('kind_expected_result')})"
    return name


def summary_table(report: Report, t: Strings) -> Table:
    ev = report.evaluation
    cl = _pct(ev.confidence_level)
    columns = (
        Column("code", t("col_code"), "text"),
        Column("name", t("col_indicator"), "text", wide=True),
        Column("baseline", t("col_baseline"), "interval"),
        Column("baseline_source", t("col_baseline_year"), "text"),
        Column("value", t("col_value", wave=report.wave), "interval"),
        Column("target", t("col_target"), "target"),
        Column("change", t("col_change"), "change"),
        Column("verdict", t("col_verdict"), "verdict"),
        Column("n", t("col_n"), "int"),
    )
    rows = []
    for r in ev.indicators:
        baseline = (
            SUPPRESSED
            if r.baseline_suppressed
            else Cell(value=r.baseline_value, low=r.baseline_ci_low, high=r.baseline_ci_high)
        )
        value = SUPPRESSED if r.suppressed else Cell(value=r.value, low=r.ci_low, high=r.ci_high)
        target = (
            Cell(value=r.target_value, op=target_operator(r.target_kind or ""), year=r.target_year)
            if r.target_value is not None
            else EMPTY
        )
        change = (
            SUPPRESSED
            if r.suppressed or r.baseline_suppressed
            else Cell(value=r.change, low=r.change_ci_low, high=r.change_ci_high)
        )
        verdict = Cell(
            value=t.verdict(r.verdict, ev.suppression_threshold),
            tone=VERDICT_TONE.get(r.verdict, "none"),
            suppressed=r.verdict == "suppressed",
        )
        n = _count(r.n, r.suppressed)
        rows.append(
            (
                Cell(value=r.code),
                Cell(value=_indicator_name(t, r)),
                baseline,
                Cell(value=_baseline_source(t, r)),
                value,
                target,
                change,
                verdict,
                n,
            )
        )
    return Table(
        id="summary",
        sheet=t("table_summary"),
        title=t("summary"),
        columns=columns,
        rows=tuple(rows),
        note=t("summary_intro", cl=cl, wave=report.wave) + " " + t("multiplicity_note"),
    )


def _date(value: object) -> str | None:
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return None


def mode_mix(modes: dict[str, int], threshold: int, t: Strings, *, total_shown: bool = True) -> str:
    """ "tīmeklī 120, papīra anketas 14": responses by collection mode.

    The counts are a breakdown of the campaign's count, so they are shown only when that count is
    shown and every mode has `threshold` or more responses; otherwise only the modes are named
    (one small count, or a withheld total, would be recomputable from the rest: README, "Disclosure
    control")."""
    used = sorted((m, n) for m, n in modes.items() if n)
    if total_shown and all(n >= threshold for _, n in used):
        return ", ".join(f"{t('mode_' + m)} {n}" for m, n in used) or "—"
    return ", ".join(t("mode_" + m) for m, _ in used) or "—"


def survey_tables(section: SurveySection, report: Report, t: Strings, index: int) -> list[Table]:
    """Fieldwork, response rates, reliability, non-response and item distributions of one survey."""
    prefix = t(f"short_{section.instrument}") + " " if t.has(f"short_{section.instrument}") else f"{index + 1} "
    title = section.title.get(t.lang)
    tables: list[Table] = []
    rows = tuple(
        (
            Cell(value=t("demo_campaign", survey=title, wave=section.wave) if c.demo else c.title),
            Cell(value=_date(c.opens_at) or t("not_set")),
            Cell(value=_date(c.closes_at) or t("not_set")),
            Cell(value=t(f"status_{c.status}")),
            _count(c.responses, complement=c.withheld),
            Cell(value=mode_mix(c.modes, report.threshold, t, total_shown=c.responses is not None)),
        )
        for c in section.campaigns
    )
    tables.append(
        Table(
            id=f"{section.instrument}.fieldwork",
            sheet=(prefix + t("sheet_fieldwork"))[:31],
            title=f"{title}: {t('fieldwork')}",
            columns=(
                Column("campaign", t("col_campaign"), "text", wide=True),
                Column("opens", t("col_opens"), "text"),
                Column("closes", t("col_closes"), "text"),
                Column("status", t("col_status"), "text"),
                Column("responses", t("col_responses"), "int"),
                Column("modes", t("col_modes"), "text"),
            ),
            rows=rows,
        )
    )
    if section.rates is not None:
        tables.append(
            Table(
                id=f"{section.instrument}.rates",
                sheet=(prefix + t("sheet_rates"))[:31],
                title=f"{title}: {t('rates')}",
                columns=(
                    Column("school", t("col_school"), "text", wide=True),
                    Column("teachers", t("col_teachers"), "int"),
                    Column("responses", t("col_responses"), "int"),
                    Column("rate", t("col_rate"), "percent"),
                ),
                rows=tuple(
                    (
                        Cell(value=r.name),
                        Cell(value=r.teachers),
                        _count(r.responses, complement=r.withheld),
                        Cell(value=r.rate) if r.responses is not None else _count(None, complement=r.withheld),
                    )
                    for r in section.rates
                ),
                note=t("rates_intro"),
            )
        )
    scales = [s for s in report.evaluation.scales if s.instrument == section.instrument]
    if scales:
        tables.append(scales_table(section, scales, report, t, prefix))
    if section.reliability:
        tables.append(
            Table(
                id=f"{section.instrument}.reliability",
                sheet=(prefix + t("sheet_alpha"))[:31],
                title=f"{title}: {t('reliability')}",
                columns=(
                    Column("scale", t("col_scale"), "text", wide=True),
                    Column("items", t("col_items"), "int"),
                    Column("n", t("col_complete"), "int"),
                    Column("alpha", t("col_alpha"), "decimal_interval"),
                ),
                rows=tuple(
                    (
                        Cell(value=a.label.get(t.lang)),
                        Cell(value=len(a.items)),
                        SUPPRESSED if a.suppressed else Cell(value=a.n),
                        SUPPRESSED if a.suppressed else Cell(value=a.estimate, low=a.ci_low, high=a.ci_high),
                    )
                    for a in section.reliability
                ),
            )
        )
    if section.item_quality:
        tables.append(_item_quality_table(section, t, prefix, title))
    if section.nonresponse:
        tables.append(
            Table(
                id=f"{section.instrument}.nonresponse",
                sheet=(prefix + t("sheet_nonresponse"))[:31],
                title=f"{title}: {t('nonresponse')}",
                columns=(
                    Column("question", t("col_question"), "text", wide=True),
                    Column("shown", t("col_shown"), "int"),
                    Column("blank", t("col_blank"), "int"),
                    Column("dont_know", t("col_dont_know"), "int"),
                    Column("blank_share", t("col_blank_share"), "percent"),
                ),
                rows=tuple(
                    (
                        Cell(value=q.label.get(t.lang)),
                        SUPPRESSED if q.suppressed else Cell(value=q.shown),
                        SUPPRESSED if q.suppressed else _hidden(q.hidden, "blank") or Cell(value=q.blank),
                        SUPPRESSED if q.suppressed else _hidden(q.hidden, "dont_know") or Cell(value=q.dont_know),
                        SUPPRESSED if q.suppressed else _hidden(q.hidden, "blank") or Cell(value=q.blank_share),
                    )
                    for q in section.nonresponse
                ),
            )
        )
    if section.distributions:
        top = max(d.points for d in section.distributions)
        has_dk = any(d.dont_know is not None for d in section.distributions)
        columns = [Column("question", t("col_question"), "text", wide=True), Column("n", t("col_n"), "int")]
        columns += [Column(f"p{i}", str(i), "percent") for i in range(1, top + 1)]
        if has_dk:
            columns.append(Column("dont_know", t("dont_know"), "percent"))
        dist_rows = []
        for d in section.distributions:
            label = Cell(value=d.label.get(t.lang))
            if d.suppressed or d.shares is None:
                dist_rows.append((label, *[SUPPRESSED] * (len(columns) - 1)))
                continue
            cells = [label, _hidden(d.hidden, "n") or Cell(value=d.n)]
            cells += [
                (_hidden(d.hidden, f"p{i + 1}") or Cell(value=d.shares[i])) if i < d.points else EMPTY
                for i in range(top)
            ]
            if has_dk:
                cells.append(_hidden(d.hidden, "dont_know") or Cell(value=d.dont_know))
            dist_rows.append(tuple(cells))
        tables.append(
            Table(
                id=f"{section.instrument}.distributions",
                sheet=(prefix + t("sheet_distributions"))[:31],
                title=f"{title}: {t('distributions')}",
                columns=tuple(columns),
                rows=tuple(dist_rows),
                note=t("distributions_intro"),
            )
        )
    return tables


def _scale_row(s: ScaleResult, t: Strings) -> tuple[Cell, ...]:
    name = Cell(value=s.name_lv if t.lang == "lv" else s.name)
    if s.suppressed:
        return (name, *[SUPPRESSED] * 9)
    compared = s.baseline_year is not None

    def base(cell: Cell) -> Cell:
        return SUPPRESSED if s.baseline_suppressed else (cell if compared else EMPTY)

    return (
        name,
        _count(s.n),
        Cell(value=s.mean, low=s.ci_low, high=s.ci_high),
        base(Cell(value=s.baseline_mean, low=s.baseline_ci_low, high=s.baseline_ci_high)),
        base(Cell(value=s.change, low=s.change_ci_low, high=s.change_ci_high)),
        base(Cell(value=s.change_p_value)),
        base(Cell(value=s.welch_t)),
        base(Cell(value=s.welch_p_value)),
        base(Cell(value=s.hedges_g, low=s.hedges_g_ci_low, high=s.hedges_g_ci_high)),
        Cell(value=s.alpha, low=s.alpha_ci_low, high=s.alpha_ci_high),
    )


def scales_table(section: SurveySection, scales: list[ScaleResult], report: Report, t: Strings, prefix: str) -> Table:
    """Scale-score means of the wave against the baseline wave, with Welch's t, Hedges' g and alpha."""
    key = f"scales_{section.instrument}"
    name = t(key) if t.has(key) else t("scales")
    years = sorted({s.baseline_year for s in scales if s.baseline_year is not None})
    baseline_title = t("col_scale_baseline", year=", ".join(map(str, years))) if years else t("col_baseline")
    notes = [
        f"{s.name_lv if t.lang == 'lv' else s.name}: {n}" for s in scales for n in notes_text(s.notes, s.note_codes, t)
    ]
    note = t("scales_intro", cl=_pct(report.evaluation.confidence_level))
    if notes:
        note += " " + "; ".join(notes) + "."
    return Table(
        id=f"{section.instrument}.scales",
        sheet=(prefix + t(f"sheet_{key}" if t.has(f"sheet_{key}") else "sheet_scales"))[:31],
        title=f"{section.title.get(t.lang)}: {name}",
        columns=(
            Column("scale", t("col_scale"), "text", wide=True),
            Column("n", t("col_n"), "int"),
            Column("mean", t("col_scale_mean", wave=report.wave), "decimal_interval"),
            Column("baseline", baseline_title, "decimal_interval"),
            Column("change", t("col_scale_change"), "signed_interval"),
            Column("p", t("col_p"), "pvalue"),
            Column("welch_t", t("col_welch_t"), "decimal"),
            Column("welch_p", t("col_welch_p"), "pvalue"),
            Column("hedges_g", t("col_hedges_g"), "signed_interval"),
            Column("alpha", t("col_alpha"), "decimal_interval"),
        ),
        rows=tuple(_scale_row(s, t) for s in scales),
        note=note,
    )


def _design_text(t: Strings, r: IndicatorResult) -> str:
    used = r.design_used or ""
    if not used:
        return t("verdict_no_data")
    text = t(f"design_{used}") if t.has(f"design_{used}") else used
    if r.design and r.design_used and r.design != r.design_used:
        text += " (" + t("design_fallback", asked=t(f"design_{r.design}"), used=t(f"design_{r.design_used}")) + ")"
    return text


def methods_table(report: Report, t: Strings) -> Table:
    rows = []
    for r in report.evaluation.indicators:
        comparison = t(f"comparison_{r.comparison}")
        if r.change_method:
            comparison += f" ({t.method(r.change_method)})"
        rows.append(
            (
                Cell(value=r.code),
                Cell(value=_design_text(t, r)),
                Cell(value=t.method(r.method) if r.method else "—"),
                Cell(value=comparison),
                Cell(value=t.method(r.verdict_test) if r.verdict_test else "—"),
                _count(None if r.suppressed else r.n_set_aside),  # never "fewer than k": may be more
                Cell(value="; ".join(notes_text(r.notes, r.note_codes, t))),
            )
        )
    return Table(
        id="methods",
        sheet=t("table_methods"),
        title=t("methods_per_indicator"),
        columns=(
            Column("code", t("col_code"), "text"),
            Column("design", t("col_design"), "text"),
            Column("interval", t("col_interval"), "text"),
            Column("comparison", t("col_comparison"), "text"),
            Column("verdict_test", t("col_verdict"), "text"),
            Column("set_aside", t("col_set_aside"), "int"),
            Column("notes", t("col_notes"), "text", wide=True),
        ),
        rows=tuple(rows),
    )


def activities_table(report: Report, t: Strings) -> Table:
    """The plan's activities results table; a linked indicator's value comes from this evaluation."""
    values = {r.code: r for r in report.evaluation.indicators}
    rows = []
    for a in report.activities:
        achieved = a.achieved
        linked = values.get(a.indicator) if a.indicator else None
        if linked is not None:
            shown = _pct(linked.value) if linked.value is not None and not linked.suppressed else "—"
            achieved = "; ".join(p for p in (achieved, t("linked_value", code=a.indicator, value=shown)) if p)
        if a.survey_item:
            achieved = "; ".join(p for p in (achieved, a.survey_item) if p)
        rows.append(
            tuple(
                Cell(value=v)
                for v in (a.year, a.goal, a.activity, a.funding, a.planned_result, achieved, a.impact, a.factors)
            )
        )
    keys = ("year", "goal", "activity", "funding", "planned", "achieved", "impact", "factors")
    return Table(
        id="activities",
        sheet=t("activities_sheet"),
        title=t("activities"),
        columns=tuple(Column(k, t(f"col_{k}"), "int" if k == "year" else "text", wide=k != "year") for k in keys),
        rows=tuple(rows),
        note=t("activities_intro"),
    )


def trend_table(report: Report, t: Strings) -> Table | None:
    """Each indicator's value in every wave evaluated so far (the trend chart in words), with the
    plan's path; a wave under the threshold is a suppressed cell, never a number."""
    if not report.trend:
        return None
    years = sorted({p.year for s in report.trend for p in s.points})
    rows = []
    for series in report.trend:
        by_year = {p.year: p for p in series.points}
        cells = []
        for year in years:
            point = by_year.get(year)
            if point is None:
                cells.append(EMPTY)
            elif point.suppressed:
                cells.append(SUPPRESSED)
            else:
                cells.append(Cell(value=point.value, low=point.ci_low, high=point.ci_high))
        path = "; ".join(
            f"{p.year}: " + (t.percent(p.value) if p.kind == "baseline" else t.target(p.kind, p.value))
            for p in series.path
        )
        rows.append((Cell(value=series.code), *cells, Cell(value=path or "—")))
    return Table(
        id="trend",
        sheet=t("table_trend"),
        title=t("trend"),
        columns=(
            Column("code", t("col_code"), "text"),
            *(Column(f"y{year}", str(year), "interval") for year in years),
            Column("path", t("col_path"), "text", wide=True),
        ),
        rows=tuple(rows),
        note=t("trend_intro"),
    )


def report_tables(report: Report, t: Strings) -> list[Table]:
    """Every table of the report in reading order (summary, trend, per survey, activities, methods)."""
    tables = [summary_table(report, t)]
    trend = trend_table(report, t)
    if trend is not None:
        tables.append(trend)
    from pmp_surveys.reports.subgroups import subgroups_table  # it builds on this module's types

    for i, section in enumerate(report.surveys):
        tables.extend(survey_tables(section, report, t, i))
        extra = subgroups_table(section, report, t)
        if extra is not None:
            tables.append(extra)
    if report.activities:
        tables.append(activities_table(report, t))
    from pmp_surveys.reports.appendix import tests_table  # it builds on this module's types

    tables.append(methods_table(report, t))
    tables.append(tests_table(report, t))
    return tables


def _item_quality_table(section: SurveySection, t: Strings, prefix: str, title: str) -> Table:
    """Per item of each scale: item–rest r and alpha if the item were deleted (psych::alpha)."""
    return Table(
        id=f"{section.instrument}.item_quality",
        sheet=(prefix + t("sheet_item_quality"))[:31],
        title=f"{title}: {t('item_quality')}",
        columns=(
            Column("scale", t("col_scale"), "text", wide=True),
            Column("item", t("col_item"), "text"),
            Column("item_rest_r", t("col_item_rest_r"), "decimal"),
            Column("alpha_if_deleted", t("col_alpha_if_deleted"), "decimal"),
        ),
        rows=tuple(
            (
                Cell(value=q.label.get(t.lang)),
                Cell(value=(q.item_label.get(t.lang) if q.item_label else q.item) + (" (R)" if q.reversed else "")),
                SUPPRESSED if q.suppressed else Cell(value=q.item_rest_r),
                SUPPRESSED if q.suppressed else Cell(value=q.alpha_if_deleted),
            )
            for q in section.item_quality
        ),
        note=t("item_quality_intro"),
    )
