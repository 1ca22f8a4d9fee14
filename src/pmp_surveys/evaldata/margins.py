"""Population margins for weighting the resident survey, kept in the database by evaluators.

CSV format (one margin per upload): a header naming the margin's variables — single-choice
questions of the weighted instrument, e.g. ``age_band,sex`` or ``district`` — followed by
``population``; one row per cell with the option values and the head-count, e.g.
``age_25_34,female,41234``. A margin posted again replaces the stored one with the same variables.

Stored margins of a municipality replace its catalogue file's ``[population]`` margins in every
evaluation (:func:`with_stored_margins`); with none stored, the file's margins are used.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.audit.service import record
from pmp_surveys.catalogue.schema import Margin, MarginCell, Municipality, Population
from pmp_surveys.errors import ValidationFailed
from pmp_surveys.evaldata.models import PopulationMargin
from pmp_surveys.evaldata.repository import EvalDataRepository
from pmp_surveys.instruments.definition import Instrument, Lang, SingleQuestion
from pmp_surveys.instruments.repository import InstrumentRepository

__all__ = [
    "StoredMargin",
    "delete_margin",
    "margin_choices",
    "parse_margin",
    "save_margin",
    "stored_margins",
    "with_stored_margins",
]

MAX_ROWS = 2_000
MAX_POPULATION = 10_000_000
MAX_SOURCE = 300


@dataclass(frozen=True)
class StoredMargin:
    variables: list[str]
    source: str
    cells: list[tuple[list[str], int]]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.cells)


def _err(field: str, code: str, message: str, value: str = "") -> dict[str, str]:
    return {"field": field, "code": code, "message": message, "value": value}


def parse_margin(
    text: str, choices: Mapping[str, Mapping[str, str]]
) -> tuple[list[str], list[tuple[list[str], int]], list[dict[str, str]]]:
    """(variables, cells, errors). `choices`: question id → {option value: label} of the single-
    choice questions a margin may use. Every problem is listed; rows are file lines (header = 1)."""
    rows = [r for r in csv.reader(io.StringIO(text.removeprefix("\ufeff"))) if any(c.strip() for c in r)]
    if not rows:
        why = "The table is empty; the first line is e.g. age_band,sex,population."
        return [], [], [_err("file", "margin_empty", why)]
    header = [h.strip() for h in rows[0]]
    errors: list[dict[str, str]] = []
    if len(header) < 2 or header[-1].lower() != "population":
        errors.append(_err("line 1", "margin_header", "The last column must be population, after 1–3 variables."))
        return [], [], errors
    variables = header[:-1]
    for v in variables:
        if v not in choices:
            known = ", ".join(sorted(choices))
            why = f"{v!r} is not a single-choice question; use: {known}."
            errors.append(_err("line 1", "margin_variable", why, f"{v!r}; izmantojiet: {known}."))
    if len(set(variables)) != len(variables) or len(variables) > 3:
        errors.append(_err("line 1", "margin_header", "Name each variable once, at most three."))
    if errors:
        return variables, [], errors
    if len(rows) - 1 > MAX_ROWS:
        return variables, [], [_err("file", "margin_too_long", f"At most {MAX_ROWS} rows.")]
    cells: list[tuple[list[str], int]] = []
    seen: dict[tuple[str, ...], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        where = f"line {line}"
        cols = [c.strip() for c in row]
        if len(cols) != len(header):
            errors.append(_err(where, "margin_columns", f"Give {len(header)} values: {', '.join(header)}."))
            continue
        levels, raw = cols[:-1], cols[-1].replace(" ", "")
        bad = [f"{lv!r} ({v})" for v, lv in zip(variables, levels, strict=True) if lv not in choices[v]]
        if bad:
            errors.append(_err(where, "margin_level", f"Unknown answer option {', '.join(bad)}.", ", ".join(bad)))
        if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= MAX_POPULATION:
            errors.append(_err(where, "margin_count", f"{cols[-1]!r} is not a head-count 1–{MAX_POPULATION}."))
            continue
        key = tuple(levels)
        if key in seen:
            errors.append(_err(where, "margin_duplicate", f"The same cell as line {seen[key]}."))
            continue
        seen[key] = line
        if not bad:
            cells.append((levels, int(raw)))
    if not cells and not errors:
        errors.append(_err("file", "margin_empty", "No rows after the header."))
    return variables, cells, errors


def weighted_instrument(municipality: Municipality) -> str | None:
    """The instrument of the municipality's `weighted` survey indicators (the resident survey)."""
    for ind in municipality.indicators:
        if ind.survey is not None and ind.survey.design == "weighted":
            return ind.survey.instrument
    return None


async def margin_choices(
    session: AsyncSession, municipality: Municipality, lang: Lang = "lv"
) -> dict[str, dict[str, str]]:
    """Single-choice questions of the latest version of the weighted instrument: id → {value: label},
    the labels in `lang` (the questionnaire's own wording)."""
    key = weighted_instrument(municipality)
    row = None if key is None else await InstrumentRepository(session).latest(key)
    if row is None:
        return {}
    instrument = msgspec.convert(row.definition, Instrument)
    return {
        q.id: {o.value: o.label.get(lang) for o in q.options}
        for q in instrument.questions
        if isinstance(q, SingleQuestion)
    }


def _group(rows: list[PopulationMargin]) -> list[StoredMargin]:
    grouped: dict[str, StoredMargin] = {}
    for r in rows:
        margin = grouped.setdefault(r.variables, StoredMargin(r.variables.split("|"), r.source, []))
        margin.cells.append((r.levels.split("|"), r.population))
    return list(grouped.values())


async def stored_margins(session: AsyncSession, user: CurrentUser, municipality: str) -> list[StoredMargin]:
    require_evaluator(user, municipality)
    return _group(await EvalDataRepository(session).margins(municipality))


async def save_margin(
    session: AsyncSession,
    user: CurrentUser,
    municipality: Municipality,
    text: str,
    source: str,
) -> StoredMargin:
    """Check and store one margin (replacing a stored one with the same variables), audit-logged.

    Raises :class:`ValidationFailed` with every problem; nothing is written then."""
    require_evaluator(user, municipality.code)
    choices = await margin_choices(session, municipality)
    variables, cells, errors = parse_margin(text, choices)
    source = source.strip()
    if not source:
        errors.insert(0, _err("source", "required", "Name the source, e.g. the official statistics table and date."))
    elif len(source) > MAX_SOURCE:
        errors.insert(0, _err("source", "too_long", f"At most {MAX_SOURCE} characters."))
    if errors:
        raise ValidationFailed("Nothing was stored: fix these rows and try again.", errors=errors)
    joined = "|".join(variables)
    rows = [
        PopulationMargin(
            municipality=municipality.code, variables=joined, levels="|".join(lv), population=n, source=source
        )
        for lv, n in cells
    ]
    await EvalDataRepository(session).replace_margins(municipality.code, joined, rows)
    total = sum(n for _, n in cells)
    details: dict[str, Any] = {"variables": variables, "cells": len(cells), "total": total, "source": source}
    await record(session, user, "margins.set", "population_margin", joined, municipality.code, details)
    return StoredMargin(variables, source, cells)


async def delete_margin(session: AsyncSession, user: CurrentUser, municipality: str, variables: str) -> None:
    require_evaluator(user, municipality)
    await EvalDataRepository(session).replace_margins(municipality, variables, [])
    await record(session, user, "margins.delete", "population_margin", variables, municipality, {})


async def with_stored_margins(session: AsyncSession, municipality: Municipality) -> Municipality:
    """`municipality` with its stored margins as ``population`` (the file's when none are stored)."""
    margins = _group(await EvalDataRepository(session).margins(municipality.code))
    if not margins:
        return municipality
    population = Population(
        source="; ".join(sorted({m.source for m in margins})),
        margins=[
            Margin(variables=m.variables, cells=[MarginCell(levels=lv, population=n) for lv, n in m.cells])
            for m in margins
        ],
    )
    return msgspec.structs.replace(municipality, population=population)
