"""Primary and secondary suppression of the respondent counts an evaluation publishes.

Counts per survey indicator: ``n`` (counted), ``n_excluded`` (answers the rule leaves out),
``n_blank`` (no usable answer), ``n_set_aside`` (= excluded + blank); per scale: ``n`` and
``n_blank``. With the wave's total T of the instrument (printed in the report, so taken as
published) they satisfy T = n + set aside = n + excluded + blank, and for a scale T = n + blank:
hiding only the small one would leave it as T minus the others. One
:class:`~pmp_surveys.analysis.sdc.LinearTable` per evaluation holds every count and relation;
:func:`~pmp_surveys.analysis.sdc.protect` withholds the small ones and their complements (the
totals are frozen: never chosen). Counts of a suppressed result are already None and stay so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from pmp_surveys.analysis.sdc import LinearTable, protect
from pmp_surveys.indicators.schemas import IndicatorResult, ScaleResult

__all__ = ["protect_counts"]

_INDICATOR_FIELDS = ("n", "n_excluded", "n_blank", "n_set_aside")
_SCALE_FIELDS = ("n", "n_blank")


def _cells(table: LinearTable, row: Any, fields: tuple[str, ...], forced: list[int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for name in fields:
        value = getattr(row, name)
        out[name] = table.cell(0 if value is None else int(value), name)
        if value is None:
            forced.append(out[name])
    return out


def _relate(table: LinearTable, total: int, parts: list[int], forced: list[int]) -> None:
    rest = table.values[total] - sum(table.values[p] for p in parts)
    if rest < 0 or any(p in forced for p in parts):
        return  # an unknown part (already withheld): no exact relation a reader could use
    if rest > 0:
        other = table.cell(rest, "other")
        forced.append(other)
        parts = [*parts, other]
    table.relate(total, parts)


def protect_counts(
    indicators: tuple[IndicatorResult, ...],
    scales: tuple[ScaleResult, ...],
    totals: Mapping[str, int],
    k: int,
) -> tuple[tuple[IndicatorResult, ...], tuple[ScaleResult, ...]]:
    """`indicators` and `scales` with every count that would disclose a group under k set to None.

    `totals`: responses of the evaluated wave by instrument key (the released set)."""
    table = LinearTable()
    forced: list[int] = []
    frozen: list[int] = []
    total_cells: dict[str, int] = {}
    for key, n in totals.items():
        total_cells[key] = table.cell(n, f"total {key}")
        (frozen if n >= k else forced).append(total_cells[key])
    rows: list[tuple[Any, dict[str, int]]] = []
    for r in indicators:
        cells = _cells(table, r, _INDICATOR_FIELDS, forced)
        rows.append((r, cells))
        if r.n_set_aside is not None and r.n_excluded is not None and r.n_blank is not None:
            table.relate(cells["n_set_aside"], [cells["n_excluded"], cells["n_blank"]])
        total = total_cells.get(r.instrument or "")
        if total is not None:
            _relate(table, total, [cells["n"], cells["n_set_aside"]], forced)
    for s in scales:
        cells = _cells(table, s, _SCALE_FIELDS, forced)
        rows.append((s, cells))
        total = total_cells.get(s.instrument)
        if total is not None:
            _relate(table, total, [cells["n"], cells["n_blank"]], forced)
    withheld = protect(table, k, forced=forced, frozen=frozen)
    out: list[Any] = []
    for row, cells in rows:
        hide = {name: None for name, i in cells.items() if i in withheld}
        out.append(msgspec.structs.replace(row, **hide) if hide else row)
    n_ind = len(indicators)
    return tuple(out[:n_ind]), tuple(out[n_ind:])
