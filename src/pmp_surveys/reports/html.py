"""The self-contained HTML report: one file, inline CSS and SVG, no script, no external request.

Rendered with Jinja2 from ``templates/report/report.html`` (autoescaped). Prints to A4 with
``@media print`` rules: one section per page run, table headers repeated, rows kept whole.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from pmp_surveys.reports.charts import TONE_MARKS, likert_charts, summary_chart
from pmp_surveys.reports.methods import used_methods
from pmp_surveys.reports.model import Report, SurveySection
from pmp_surveys.reports.plain import plain_summary
from pmp_surveys.reports.strings import ReportLang, Strings
from pmp_surveys.reports.tables import Cell, Column, Table, report_tables
from pmp_surveys.reports.trend_chart import trend_chart

__all__ = ["cell_html", "render_html"]

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "report"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_CI = Markup(" <span class='ci'>[{}; {}]</span>")
_VALUE = Markup("<span class='v'>{}</span>{}")
_SUPPRESSED = Markup("<span class='suppressed'>{}</span>")
_VERDICT = Markup("<span class='verdict tone-{}'>{}\u00a0{}</span>")
_NA = Markup("<span class='na'>—</span>")
_YEAR = Markup(" <span class='ci'>({})</span>")


def _interval(t: Strings, low: float | None, high: float | None, fmt: str) -> Markup:
    if low is None or high is None:
        return Markup("")
    if fmt == "percent":
        a, b = t.percent(low), t.percent(high)
    elif fmt == "points":
        a, b = t.points(low), t.points(high)
    elif fmt == "signed":
        a, b = t.signed(low, 2), t.signed(high, 2)
    else:
        a, b = t.number(low, 2), t.number(high, 2)
    return _CI.format(a, b)


def cell_html(cell: Cell, column: Column, t: Strings, threshold: int) -> Markup:
    """The visible content of one table cell (suppressed cells say so in words, never a number)."""
    if cell.suppressed and column.kind != "verdict":
        return _SUPPRESSED.format(t("withheld") if cell.withheld else t.suppressed(threshold))
    v = cell.value
    kind = column.kind
    if kind == "verdict":
        tone = cell.tone or "none"
        return _VERDICT.format(tone, TONE_MARKS[tone], str(v))
    if v is None:
        return _NA
    if kind == "text" or isinstance(v, str):
        return escape(str(v))
    if kind == "int":
        return escape(str(int(v)))
    value = float(v)
    if kind == "percent":
        return escape(t.percent(value))
    if kind == "pvalue":
        return escape(t.p_value(value))
    if kind == "decimal":
        return escape(t.number(value, 2))
    if kind == "interval":
        return _VALUE.format(t.percent(value), _interval(t, cell.low, cell.high, "percent"))
    if kind == "decimal_interval":
        return _VALUE.format(t.number(value, 2), _interval(t, cell.low, cell.high, ""))
    if kind == "signed_interval":
        return _VALUE.format(t.signed(value, 2), _interval(t, cell.low, cell.high, "signed"))
    if kind == "change":
        return _VALUE.format(t.points(value), _interval(t, cell.low, cell.high, "points"))
    if kind == "target":
        return _VALUE.format(t.target_op(cell.op or "", value), _YEAR.format(cell.year) if cell.year else "")
    return escape(str(v))


def design_lines(section: SurveySection, t: Strings) -> list[str]:
    """The survey's designs in words, indicators with the same design on one line."""
    grouped: dict[str, list[str]] = {}
    for d in section.designs:
        text = t(f"design_{d.design_used}") if d.design_used else t("verdict_no_data")
        if d.design and d.design_used and d.design != d.design_used:
            text += " (" + t("design_fallback", asked=t(f"design_{d.design}"), used=t(f"design_{d.design_used}")) + ")"
        grouped.setdefault(text, []).append(d.indicator)
    return [f"{', '.join(codes)}: {text}" for text, codes in grouped.items()]


def render_html(report: Report, lang: ReportLang) -> str:
    """The whole report as one HTML document in `lang`."""
    t = Strings(lang)
    tables = report_tables(report, t)
    by_id: dict[str, Table] = {table.id: table for table in tables}
    sections = []
    for section in report.surveys:
        sections.append(
            {
                "section": section,
                "tables": [tb for tb in tables if tb.id.startswith(section.instrument + ".")],
                # charts.py escapes every text it puts in the SVG
                "designs": design_lines(section, t),
                "charts": [Markup(svg) for svg in likert_charts(section, t, report.threshold)],  # noqa: S704
            }
        )

    def cell(c: Cell, column: Column) -> Markup:
        return cell_html(c, column, t, report.threshold)

    template = _environment().get_template("report.html")
    return template.render(
        t=t,
        lang=lang,
        report=report,
        evaluation=report.evaluation,
        summary=by_id["summary"],
        methods_table=by_id["methods"],
        tests_table=by_id["tests"],
        activities=by_id.get("activities"),
        methods=used_methods(report, t),
        plain=plain_summary(report, t),
        chart=Markup(summary_chart(report, t)),  # noqa: S704 - charts.py escapes every text
        trend=by_id.get("trend"),
        trend_chart=Markup(trend_chart(report, t)),  # noqa: S704 - trend_chart.py escapes every text
        sections=sections,
        cell=cell,
        percent=t.percent,
    )
