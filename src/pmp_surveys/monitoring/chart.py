"""A small inline SVG chart of responses per day (bars) and the running total (line). Pure.

Accessible: ``role="img"`` with an ``aria-label`` summary and a ``<title>`` per bar; the same
figures are in a table beside the chart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

WIDTH, HEIGHT, PAD = 320, 120, 4


def daily_chart_svg(days: Sequence[tuple[date, int]], *, label: str) -> str:
    """`days`: (day, responses) in date order, gaps allowed. Returns an ``<svg>`` element."""
    if not days:
        return ""
    first, last = days[0][0], days[-1][0]
    span = (last - first).days + 1
    by_day = dict(days)
    peak = max(n for _, n in days)
    total = sum(n for _, n in days)
    bar_w = (WIDTH - 2 * PAD) / span
    inner_h = HEIGHT - 2 * PAD
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(label)}" preserveAspectRatio="none">'
    ]
    running = 0
    points = []
    for i in range(span):
        day = date.fromordinal(first.toordinal() + i)
        n = by_day.get(day, 0)
        running += n
        x = PAD + i * bar_w
        h = inner_h * n / peak if peak else 0
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{PAD + inner_h - h:.1f}" width="{max(bar_w - 1, 0.5):.1f}" '
            f'height="{h:.1f}"><title>{day.isoformat()}: {n}</title></rect>'
        )
        points.append(f"{x + bar_w / 2:.1f},{PAD + inner_h - inner_h * running / total:.1f}")
    parts.append(f'<polyline class="total" fill="none" points="{" ".join(points)}"/>')
    parts.append("</svg>")
    return "".join(parts)
