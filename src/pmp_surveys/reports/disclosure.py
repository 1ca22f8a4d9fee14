"""Secondary suppression of the report's respondent counts, across all its tables.

Counts of respondents in the report: each survey's total (printed as a fact, and derivable from
the evaluation as n + set aside), each campaign's responses (fieldwork table) and each school's
responses (response-rate table; the rate with the published head-count reveals it too). Their
relations — total = Σ campaigns, total = Σ schools + responses without a school — go into one
:class:`~pmp_surveys.analysis.sdc.LinearTable` per survey, and :func:`~pmp_surveys.analysis.sdc.protect`
chooses the cells to withhold. The survey total is published by the evaluation API too, so it is
never chosen as a complement; responses without a school are never printed (an unknown of the audit).
"""

from __future__ import annotations

import msgspec

from pmp_surveys.analysis.sdc import LinearTable, protect
from pmp_surveys.reports.model import Report, SurveySection

__all__ = ["protect_item", "protect_report", "protect_section"]


def protect_item(shown: int, blank: int, dont_know: int, points: list[int] | None, k: int) -> dict[str, str]:
    """The cells of one question to withhold in the non-response and distribution tables.

    Cells: ``blank``, ``dont_know``, ``n`` (those who answered, "don't know" included) and, for a
    rating item, ``p1`` … ``pK`` (respondents per point); relations: shown = blank + n and
    n = dont_know + Σ p (for other questions the answered count is never printed: an unknown).
    `shown` is published (never a complement). Returns {cell: "primary" (0 < count < k) or
    "withheld" (secondary suppression, :func:`~pmp_surveys.analysis.sdc.protect`)}. Without it a
    share of 0,25 % of 405 said that 1 teacher chose that point."""
    table = LinearTable()
    total = table.cell(shown, "shown")
    cells = {"blank": table.cell(blank, "blank"), "dont_know": table.cell(dont_know, "dont_know")}
    forced: list[int] = []
    if points is not None:
        cells.update({f"p{i + 1}": table.cell(x, f"p{i + 1}") for i, x in enumerate(points)})
        cells["n"] = table.cell(dont_know + sum(points), "n")
        table.relate(cells["n"], [cells["dont_know"], *(cells[f"p{i + 1}"] for i in range(len(points)))])
        rest = shown - blank - dont_know - sum(points)
        parts = [cells["blank"], cells["n"]]
    else:
        rest = shown - blank - dont_know
        parts = [cells["blank"], cells["dont_know"]]
    if rest < 0:
        return {}  # counts of different things (versions): no relation to declare
    if rest > 0:
        parts.append(table.cell(rest, "answered otherwise"))
        forced.append(parts[-1])
    table.relate(total, parts)
    hidden = protect(table, max(k, 1), forced=forced, frozen=[total])
    return {
        name: ("primary" if 0 < table.values[cell] < k else "withheld")
        for name, cell in cells.items()
        if cell in hidden
    }


def protect_section(section: SurveySection, k: int) -> SurveySection:
    """`section` with every campaign and school count that must not be printed set to None.

    The survey total is of the released responses (k·⌊N/k⌋ of N); campaign and school counts
    are of all N: the reader knows N − total is in 0..k−1, and the audit knows it too."""
    table = LinearTable()
    total = table.cell(section.responses or 0, "total")
    campaigns = [table.cell(c.responses or 0, f"campaign {c.slug}") for c in section.campaigns]
    forced: list[int] = []
    everyone = sum(table.values[c] for c in campaigns)
    if everyone >= table.values[total]:
        every = table.cell(everyone, "all responses")
        waiting = table.helper(everyone - table.values[total], 0, max(k - 1, 0), "not yet released")
        forced += [every, waiting]
        table.relate(every, [total, waiting])
        table.relate(every, campaigns)
    else:
        every = total
    schools = [table.cell(r.responses or 0, f"school {r.code}") for r in section.rates or ()]
    if schools:
        _relate(table, every, schools, forced)
    n = table.values[total]
    if n < k:
        forced += campaigns + schools
    withheld = protect(table, k, forced=forced, frozen=[total] if n >= k else [])
    return msgspec.structs.replace(
        section,
        responses=None if 0 < n < k else n,
        suppressed=section.suppressed or 0 < n < k,
        campaigns=tuple(
            msgspec.structs.replace(c, withheld=c.responses is None or c.responses >= k, responses=None)
            if i in withheld
            else c
            for c, i in zip(section.campaigns, campaigns, strict=True)
        ),
        rates=None
        if section.rates is None
        else tuple(
            msgspec.structs.replace(r, withheld=r.responses is None or r.responses >= k, responses=None, rate=None)
            if i in withheld
            else r
            for r, i in zip(section.rates, schools, strict=True)
        ),
    )


def _relate(table: LinearTable, total: int, parts: list[int], forced: list[int]) -> None:
    """total = Σ parts (+ an unpublished remainder cell when the parts fall short)."""
    shown = sum(table.values[p] for p in parts)
    rest = table.values[total] - shown
    if rest < 0:
        return  # the parts count something else (other versions): no additive relation to declare
    if rest > 0:
        other = table.cell(rest, "not in any row")
        forced.append(other)
        parts = [*parts, other]
    table.relate(total, parts)


def protect_report(report: Report) -> Report:
    """The report with every survey section protected (:func:`protect_section`)."""
    k = report.threshold
    return msgspec.structs.replace(report, surveys=tuple(protect_section(s, k) for s in report.surveys))
