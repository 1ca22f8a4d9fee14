"""Inline SVG of every indicator's trend: one small panel per indicator, waves on the x axis.

Each panel draws the plan's target path (dashed line from the printed baseline through each
target, a square at a target, a hollow circle at the baseline) and every wave evaluated so far as
a dot with its interval (complete counts have none). A wave whose group was under the threshold
is drawn as no figure: the panel writes the threshold's words at that year instead. Every panel
has a title and a description in words; the trend table beside it is the full text equivalent.
"""

from __future__ import annotations

import math
from html import escape

from pmp_surveys.reports.charts import FONT, axis_range
from pmp_surveys.reports.model import Report, TrendSeries
from pmp_surveys.reports.strings import Strings

__all__ = ["trend_chart", "trend_years"]

COLS, PANEL_W, PANEL_H = 3, 320, 176
PLOT_L, PLOT_R, PLOT_T, PLOT_B = 46, 14, 30, 42
POINT = "#1f4e79"  # 8.9:1 on white
PATH = "#222222"


def trend_years(report: Report) -> list[int]:
    """Every year the trend shows: the waves evaluated and the target path's years."""
    years = {p.year for s in report.trend for p in s.points} | {p.year for s in report.trend for p in s.path}
    return sorted(years)


def _values(series: TrendSeries) -> list[float]:
    values = [p.value for p in series.path]
    for p in series.points:
        values.extend(v for v in (p.value, p.ci_low, p.ci_high) if v is not None)
    return values


def _describe(series: TrendSeries, t: Strings, threshold: int) -> str:
    parts = []
    for p in series.points:
        if p.suppressed:
            parts.append(f"{p.year}: {t.suppressed(threshold)}")
        elif p.value is not None:
            text = f"{p.year}: {t.percent(p.value)}"
            if p.ci_low is not None and p.ci_high is not None:
                text += f" [{t.percent(p.ci_low)}; {t.percent(p.ci_high)}]"
            parts.append(text)
    path = [
        f"{p.year}: {t('baseline') if p.kind == 'baseline' else t.target(p.kind, p.value)}"
        + (f" {t.percent(p.value)}" if p.kind == "baseline" else "")
        for p in series.path
    ]
    return f"{t('trend_measured')}: {'; '.join(parts) or '—'}. {t('trend_path')}: {'; '.join(path) or '—'}."


def _panel(series: TrendSeries, years: list[int], t: Strings, threshold: int, x0: float, y0: float, i: int) -> str:
    name = series.name.get(t.lang)
    out = [
        f"<g role='img' aria-labelledby='trend-{i}-t trend-{i}-d' transform='translate({x0:.0f},{y0:.0f})'>",
        f"<title id='trend-{i}-t'>{escape(series.code)}: {escape(name)}</title>",
        f"<desc id='trend-{i}-d'>{escape(_describe(series, t, threshold))}</desc>",
        f"<rect x='0.5' y='0.5' width='{PANEL_W - 9}' height='{PANEL_H - 9}' fill='#fff' stroke='#c4c7cc'/>",
        f"<text x='8' y='18' font-size='13' font-weight='bold' fill='#111'>{escape(series.code)}</text>",
    ]
    values = _values(series)
    plot_w = PANEL_W - 9 - PLOT_L - PLOT_R
    plot_h = PANEL_H - 9 - PLOT_T - PLOT_B
    if not values and not any(p.suppressed for p in series.points):
        out.append(
            f"<text x='{(PANEL_W - 9) / 2}' y='{PANEL_H / 2}' font-size='12' font-style='italic' fill='#444' "
            f"text-anchor='middle'>{escape(t('verdict_no_data'))}</text></g>"
        )
        return "".join(out)
    low, high, step = axis_range(values or [0.0, 1.0])
    first, last = years[0], years[-1]

    def x(year: int) -> float:
        return PLOT_L + (0.5 if last == first else (year - first) / (last - first)) * plot_w

    def y(v: float) -> float:
        return PLOT_T + (1 - (v - low) / (high - low)) * plot_h

    digits = 0 if step * 100 >= 1 else 1 if step * 100 >= 0.1 else 2
    tick = low
    while tick <= high + step / 1000:
        ty = y(tick)
        out.append(
            f"<line x1='{PLOT_L}' x2='{PLOT_L + plot_w}' y1='{ty:.1f}' y2='{ty:.1f}' stroke='#e3e5e8'/>"
            f"<text x='{PLOT_L - 4}' y='{ty + 3:.1f}' font-size='9.5' fill='#5f6368' text-anchor='end'>"
            f"{escape(t.percent(tick, digits))}</text>"
        )
        tick += step
    for year in years:
        out.append(
            f"<text x='{x(year):.1f}' y='{PLOT_T + plot_h + 14}' font-size='9.5' fill='#5f6368' "
            f"text-anchor='middle'>{year}</text>"
        )
    if series.path:
        coords = " ".join(f"{x(p.year):.1f},{y(p.value):.1f}" for p in series.path)
        out.append(
            f"<polyline points='{coords}' fill='none' stroke='{PATH}' stroke-width='1.5' stroke-dasharray='5 3'/>"
        )
        for p in series.path:
            px, py = x(p.year), y(p.value)
            label = t("baseline") if p.kind == "baseline" else t("target") + " " + t.target(p.kind, p.value)
            if p.kind == "baseline":
                out.append(f"<circle cx='{px:.1f}' cy='{py:.1f}' r='4.5' fill='#fff' stroke='{PATH}' stroke-width='2'>")
            else:
                out.append(f"<rect x='{px - 4:.1f}' y='{py - 4:.1f}' width='8' height='8' fill='{PATH}'>")
            out.append(f"<title>{p.year}: {escape(label)}</title>{'</circle>' if p.kind == 'baseline' else '</rect>'}")
    for point in series.points:
        px = x(point.year)
        if point.suppressed or point.value is None:
            out.append(
                f"<text x='{px:.1f}' y='{PLOT_T + plot_h + 28}' font-size='9' font-style='italic' fill='#444' "
                f"text-anchor='middle' class='trend-withheld'>{escape(t.suppressed(threshold))}</text>"
            )
            continue
        if point.ci_low is not None and point.ci_high is not None:
            y1, y2 = y(point.ci_low), y(point.ci_high)
            stroke = f"stroke='{POINT}' stroke-width='2'"
            out.append(
                f"<line x1='{px:.1f}' x2='{px:.1f}' y1='{y1:.1f}' y2='{y2:.1f}' stroke='{POINT}' stroke-width='2.5'/>"
                f"<line x1='{px - 4:.1f}' x2='{px + 4:.1f}' y1='{y1:.1f}' y2='{y1:.1f}' {stroke}/>"
                f"<line x1='{px - 4:.1f}' x2='{px + 4:.1f}' y1='{y2:.1f}' y2='{y2:.1f}' {stroke}/>"
            )
        out.append(
            f"<circle cx='{px:.1f}' cy='{y(point.value):.1f}' r='5' fill='{POINT}' class='trend-point' "
            f"data-year='{point.year}'><title>{point.year}: {escape(t.percent(point.value))}</title></circle>"
        )
    out.append("</g>")
    return "".join(out)


def trend_chart(report: Report, t: Strings) -> str:
    """All indicators' trends as one SVG of small panels (three per row); "" without a trend."""
    if not report.trend:
        return ""
    years = trend_years(report)
    rows = math.ceil(len(report.trend) / COLS)
    legend_h = 30
    width, height = COLS * PANEL_W, legend_h + rows * PANEL_H
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='100%' role='group' "
        f"aria-labelledby='trend-title' class='chart trend-chart' {FONT}>",
        f"<title id='trend-title'>{escape(t('trend'))}</title>",
        f"<g font-size='12' fill='#222'><line x1='4' x2='24' y1='14' y2='14' stroke='{POINT}' stroke-width='2.5'/>"
        f"<circle cx='14' cy='14' r='5' fill='{POINT}'/><text x='30' y='18'>{escape(t('trend_measured'))}</text>"
        f"<line x1='250' x2='280' y1='14' y2='14' stroke='{PATH}' stroke-width='1.5' stroke-dasharray='5 3'/>"
        f"<rect x='261' y='10' width='8' height='8' fill='{PATH}'/>"
        f"<text x='288' y='18'>{escape(t('trend_path'))}</text></g>",
    ]
    for i, series in enumerate(report.trend):
        x0 = (i % COLS) * PANEL_W
        y0 = legend_h + (i // COLS) * PANEL_H
        out.append(_panel(series, years, t, report.threshold, x0, y0, i))
    out.append("</svg>")
    return "".join(out)
