"""Inline SVG charts: indicators against baseline and target, and stacked bars of rating items.

Pure string building (no plotting library, no external request). Every mark has a text
equivalent: verdicts are written out beside the colour, each SVG has a title and description,
and a suppressed row says so in words instead of drawing anything.
"""

from __future__ import annotations

import math
from html import escape

from pmp_surveys.indicators.schemas import IndicatorResult
from pmp_surveys.reports.model import ItemDistribution, Report, SurveySection
from pmp_surveys.reports.strings import VERDICT_TONE, Strings

__all__ = ["TONE_COLOURS", "contrast", "likert_charts", "luminance", "summary_chart"]

TONE_COLOURS = {"good": "#1b7a3a", "bad": "#b3261e", "unsure": "#9a5b00", "none": "#5f6368"}
TONE_MARKS = {"good": "✔", "bad": "✘", "unsure": "?", "none": "–"}
FONT = "font-family='Segoe UI, DejaVu Sans, Arial, sans-serif'"


def _nice_step(span: float) -> float:
    raw = span / 4.0
    exponent = math.floor(math.log10(raw))
    base = raw / 10**exponent
    nice = 1.0 if base <= 1 else 2.0 if base <= 2 else 2.5 if base <= 2.5 else 5.0 if base <= 5 else 10.0
    return float(nice * 10**exponent)


def axis_range(values: list[float]) -> tuple[float, float, float]:
    """A readable [low, high] within 0–1 holding every value, and a tick step."""
    lo, hi = min(values), max(values)
    span = hi - lo
    pad = max(span * 0.15, max(abs(hi), 0.0005) * 0.1, 0.0005)
    low, high = max(0.0, lo - pad), min(1.0, hi + pad)
    if high - low > 0.5:
        return 0.0, 1.0, 0.25
    step = _nice_step(high - low)
    low = max(0.0, math.floor(low / step) * step)
    high = min(1.0, math.ceil(high / step) * step)
    if high <= low:
        high = min(1.0, low + step)
    return low, high, step


def _digits(step: float) -> int:
    pct = step * 100
    return 0 if pct >= 1 else 1 if pct >= 0.1 else 2 if pct >= 0.01 else 3


def _row_values(r: IndicatorResult) -> list[float]:
    values = [
        v
        for v in (
            r.value,
            r.ci_low,
            r.ci_high,
            r.baseline_value,
            r.baseline_ci_low,
            r.baseline_ci_high,
            r.target_value,
        )
        if v is not None
    ]
    return values


def summary_chart(report: Report, t: Strings) -> str:
    """One row per indicator: interval (whisker) with the value (dot), baseline (hollow circle),
    target (tick), and the verdict in words, on the row's own labelled scale."""
    results = report.evaluation.indicators
    threshold = report.threshold
    width, left, strip, row_h, top = 960, 70, 560, 46, 56
    right = left + strip
    height = top + row_h * len(results) + 16
    title = escape(t("chart"))
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='100%' "
        f"role='img' aria-labelledby='chart-title chart-desc' class='chart summary-chart' {FONT}>",
        f"<title id='chart-title'>{title}</title>",
        f"<desc id='chart-desc'>{escape(t('chart_intro'))}</desc>",
    ]
    # legend: symbol, then its words; positions follow the length of the words
    ly = 20
    value_text = f"{t('value')} ({t('ci')})"
    x_base = left + 48 + 7.4 * len(value_text) + 36
    x_target = x_base + 18 + 7.4 * len(t("baseline")) + 36
    out.append(
        f"<g font-size='12' fill='#222'><line x1='{left}' x2='{left + 40}' y1='{ly}' y2='{ly}' stroke='#333' "
        f"stroke-width='2'/><circle cx='{left + 20}' cy='{ly}' r='5' fill='#333'/>"
        f"<text x='{left + 48}' y='{ly + 4}'>{escape(value_text)}</text>"
        f"<circle cx='{x_base}' cy='{ly}' r='6' fill='none' stroke='#333' stroke-width='2'/>"
        f"<text x='{x_base + 12}' y='{ly + 4}'>{escape(t('baseline'))}</text>"
        f"<line x1='{x_target}' x2='{x_target}' y1='{ly - 8}' y2='{ly + 8}' stroke='#111' stroke-width='3'/>"
        f"<text x='{x_target + 10}' y='{ly + 4}'>{escape(t('target'))}</text></g>"
    )
    for i, r in enumerate(results):
        y0 = top + i * row_h
        mid = y0 + 18
        tone = VERDICT_TONE.get(r.verdict, "none")
        colour = TONE_COLOURS[tone]
        if i % 2 == 0:
            out.append(f"<rect x='0' y='{y0 - 4}' width='{width}' height='{row_h}' fill='#f5f6f8'/>")
        out.append(f"<text x='8' y='{mid + 5}' font-size='14' font-weight='bold' fill='#111'>{escape(r.code)}</text>")
        verdict = t.verdict(r.verdict, threshold)
        out.append(
            f"<text x='{right + 24}' y='{mid + 5}' font-size='14' fill='{colour}' font-weight='bold'>"
            f"{TONE_MARKS[tone]} {escape(verdict)}</text>"
        )
        values = _row_values(r) if not r.suppressed else []
        if r.suppressed or not values:
            message = t.suppressed(threshold) if r.suppressed else t("verdict_no_data")
            out.append(
                f"<text x='{left + strip / 2}' y='{mid + 5}' font-size='13' fill='#444' text-anchor='middle' "
                f"font-style='italic'>{escape(message)}</text>"
            )
            continue
        low, high, step = axis_range(values)
        digits = _digits(step)

        def x(v: float, low: float = low, high: float = high) -> float:
            return left + (v - low) / (high - low) * strip

        # axis with ticks
        out.append(f"<line x1='{left}' x2='{right}' y1='{mid}' y2='{mid}' stroke='#c4c7cc' stroke-width='1'/>")
        tick = low
        while tick <= high + step / 1000:
            tx = x(tick)
            out.append(f"<line x1='{tx:.1f}' x2='{tx:.1f}' y1='{mid + 8}' y2='{mid + 12}' stroke='#9aa0a6'/>")
            out.append(
                f"<text x='{tx:.1f}' y='{mid + 24}' font-size='10' fill='#5f6368' text-anchor='middle'>"
                f"{escape(t.percent(tick, digits))}</text>"
            )
            tick += step
        if r.target_value is not None:
            tx = x(r.target_value)
            out.append(
                f"<line x1='{tx:.1f}' x2='{tx:.1f}' y1='{mid - 11}' y2='{mid + 11}' stroke='#111' stroke-width='3'>"
                f"<title>{escape(t('target'))}: {escape(t.target(r.target_kind or '', r.target_value))}</title></line>"
            )
        if r.value is not None:
            if r.ci_low is not None and r.ci_high is not None:
                x1, x2 = x(r.ci_low), x(r.ci_high)
                out.append(
                    f"<line x1='{x1:.1f}' x2='{x2:.1f}' y1='{mid}' y2='{mid}' stroke='{colour}' stroke-width='3'/>"
                    f"<line x1='{x1:.1f}' x2='{x1:.1f}' y1='{mid - 6}' y2='{mid + 6}' stroke='{colour}' "
                    f"stroke-width='2'/><line x1='{x2:.1f}' x2='{x2:.1f}' y1='{mid - 6}' y2='{mid + 6}' "
                    f"stroke='{colour}' stroke-width='2'/>"
                )
            vx = x(r.value)
            out.append(
                f"<circle cx='{vx:.1f}' cy='{mid}' r='6' fill='{colour}'>"
                f"<title>{escape(r.code)}: {escape(t.percent(r.value))}</title></circle>"
            )
        if r.baseline_value is not None and not r.baseline_suppressed:
            bx = x(r.baseline_value)
            out.append(
                f"<circle cx='{bx:.1f}' cy='{mid}' r='7.5' fill='none' stroke='#222' stroke-width='2'>"
                f"<title>{escape(t('baseline'))}: {escape(t.percent(r.baseline_value))}</title></circle>"
            )
    out.append("</svg>")
    return "".join(out)


def _palette(points: int) -> list[str]:
    """A diverging palette, low (red-brown) to high (blue), readable in grey as well."""
    stops = [(178, 24, 43), (244, 165, 130), (240, 240, 240), (146, 197, 222), (33, 102, 172)]
    colours = []
    for i in range(points):
        pos = i / max(points - 1, 1) * (len(stops) - 1)
        k = min(int(pos), len(stops) - 2)
        f = pos - k
        rgb = tuple(round(stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f) for c in range(3))
        colours.append("#{:02x}{:02x}{:02x}".format(*rgb))
    return colours


def luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of "#rrggbb" (or "#rgb")."""
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1–21); 4.5 is the minimum for normal text (AA, EN 301 549)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _ink(hex_colour: str) -> str:
    """Black or white, whichever contrasts more with the fill: never below 4.58:1 (WCAG AA)."""
    return "#000" if contrast("#000", hex_colour) >= contrast("#fff", hex_colour) else "#fff"


def _wrap(text: str, width: int, lines: int) -> list[str]:
    words, out, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out


def _likert_chart(items: list[ItemDistribution], points: int, t: Strings, threshold: int, ident: str) -> str:
    width, label_w, bar_w, row_h, top = 960, 390, 500, 42, 58
    bar_x = label_w + 10
    colours = _palette(points)
    dk_colour = "#8c8c8c"
    has_dk = any(d.dont_know is not None for d in items)
    height = top + row_h * len(items) + 10
    title = f"{t('distributions')} (1–{points})"
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='100%' role='img' "
        f"aria-labelledby='{ident}-t' class='chart likert-chart' {FONT}>",
        f"<title id='{ident}-t'>{escape(title)}</title>",
    ]
    # legend: each point with its label at the ends
    first = next((d for d in items if d.point_labels), None)
    lx: float = bar_x
    for p in range(points):
        label = str(p + 1)
        if first is not None and p < len(first.point_labels) and first.point_labels[p] is not None:
            lab = first.point_labels[p]
            assert lab is not None
            if p in (0, points - 1):
                label += " " + lab.get(t.lang)
        label = label if len(label) < 28 else label[:27] + "…"
        w = 26 + 6.2 * len(label)
        if lx + w > width:
            break
        out.append(
            f"<rect x='{lx}' y='10' width='14' height='14' fill='{colours[p]}' stroke='#555' stroke-width='0.5'/>"
            f"<text x='{lx + 18}' y='22' font-size='11' fill='#222'>{escape(label)}</text>"
        )
        lx += w
    if has_dk and lx + 90 < width:
        out.append(
            f"<rect x='{lx}' y='10' width='14' height='14' fill='{dk_colour}'/>"
            f"<text x='{lx + 18}' y='22' font-size='11' fill='#222'>{escape(t('dont_know'))}</text>"
        )
    out.append(
        f"<text x='{bar_x}' y='44' font-size='10' fill='#5f6368'>0%</text>"
        f"<text x='{bar_x + bar_w}' y='44' font-size='10' fill='#5f6368' text-anchor='end'>100%</text>"
        f"<text x='{bar_x + bar_w + 8}' y='44' font-size='10' fill='#5f6368'>n</text>"
    )
    for i, d in enumerate(items):
        y0 = top + i * row_h
        lines = _wrap(d.label.get(t.lang), 62, 2)
        for j, line in enumerate(lines):
            out.append(
                f"<text x='4' y='{y0 + 13 + j * 14}' font-size='11.5' fill='#222'>"
                f"{escape(line)}{'<title>' + escape(d.label.get(t.lang)) + '</title>' if j == 0 else ''}</text>"
            )
        if d.suppressed or d.shares is None or d.hidden:  # a bar would show the withheld cells' widths
            out.append(
                f"<text x='{bar_x + bar_w / 2}' y='{y0 + 18}' font-size='12' font-style='italic' fill='#444' "
                f"text-anchor='middle'>{escape(t.suppressed(threshold))}</text>"
            )
            continue
        x = float(bar_x)
        segments = [(s or 0.0, colours[k], str(k + 1)) for k, s in enumerate(d.shares)]
        if d.dont_know is not None:
            segments.append((d.dont_know, dk_colour, t("dont_know")))
        for share, colour, name in segments:
            w = share * bar_w
            if w <= 0:
                continue
            out.append(
                f"<rect x='{x:.1f}' y='{y0 + 2}' width='{w:.1f}' height='24' fill='{colour}'>"
                f"<title>{escape(name)}: {escape(t.percent(share, 0))}</title></rect>"
            )
            if w >= 30:
                out.append(
                    f"<text x='{x + w / 2:.1f}' y='{y0 + 18}' font-size='10.5' text-anchor='middle' "
                    f"fill='{_ink(colour)}'>{escape(t.percent(share, 0))}</text>"
                )
            x += w
        out.append(f"<text x='{bar_x + bar_w + 8}' y='{y0 + 18}' font-size='11' fill='#222'>{d.n}</text>")
    out.append("</svg>")
    return "".join(out)


def likert_charts(section: SurveySection, t: Strings, threshold: int) -> list[str]:
    """One stacked-bar chart per rating scale length (e.g. the 9-point TSES items, 5-point items)."""
    by_points: dict[int, list[ItemDistribution]] = {}
    for d in section.distributions:
        by_points.setdefault(d.points, []).append(d)
    return [
        _likert_chart(items, points, t, threshold, f"{section.instrument}-{points}")
        for points, items in sorted(by_points.items(), key=lambda kv: -kv[0])
    ]
