"""SQL for the indicator evaluation: the only module of `indicators` that talks to the database.

Responses are read with ``COPY (SELECT …) TO STDOUT`` through asyncpg's ``copy_from_query``:
each response becomes one CSV line (campaign, school, every code, every number), which polars
parses in parallel — no Python object per response.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

__all__ = [
    "CampaignVersionRow",
    "FigureRow",
    "IndicatorRepository",
    "SchoolRow",
    "copy_select",
]


@dataclass(frozen=True)
class CampaignVersionRow:
    """A campaign of one wave with the instrument version its responses pin."""

    campaign_id: int
    instrument_version_id: int
    instrument_key: str
    version: int
    definition: dict[str, Any]


@dataclass(frozen=True)
class SchoolRow:
    id: int
    code: str
    teachers: int | None


@dataclass(frozen=True)
class FigureRow:
    indicator: str
    year: int
    school_id: int | None
    numerator: int
    denominator: int


@dataclass(frozen=True)
class FigureWrite:
    municipality: str
    indicator: str
    year: int
    school_id: int | None
    numerator: int
    denominator: int


_CAMPAIGNS = text(
    """
    SELECT c.id, c.instrument_version_id, v.key, v.version, v.definition
      FROM campaigns AS c
      JOIN instrument_versions AS v ON v.id = c.instrument_version_id
     WHERE c.municipality = :municipality AND v.key = :key AND c.wave = :wave AND c.status <> 'draft'
     ORDER BY c.id
    """
)

_WAVES = text(
    """
    SELECT DISTINCT c.wave
      FROM campaigns AS c
      JOIN instrument_versions AS v ON v.id = c.instrument_version_id
     WHERE c.municipality = :municipality AND v.key = :key AND c.status <> 'draft'
       AND EXISTS (SELECT 1 FROM responses AS r WHERE r.campaign_id = c.id)
     ORDER BY c.wave
    """
)

#: The release rule (README, "Disclosure control"): only the first k·⌊N/k⌋ responses of a wave
#: (every non-draft campaign, in submission order) are released; the last released id. A wave
#: with N < k is read whole: every figure of it is suppressed (it says "fewer than k", not "none").
_RELEASE_CUTOFF = text(
    """
    WITH wave AS (
        SELECT r.id FROM responses AS r
          JOIN campaigns AS c ON c.id = r.campaign_id
          JOIN instrument_versions AS v ON v.id = c.instrument_version_id
         WHERE c.municipality = :municipality AND v.key = :key AND c.wave = :wave AND c.status <> 'draft'
    )
    SELECT CASE WHEN (SELECT count(*) FROM wave) < :k THEN (SELECT max(id) FROM wave) ELSE
           (SELECT id FROM wave ORDER BY id OFFSET (SELECT count(*) FROM wave) / :k * :k - 1 LIMIT 1) END
    """
)

_SCHOOLS = text("SELECT id, code, teachers FROM schools WHERE municipality = :municipality ORDER BY id")

_FIGURES = text(
    """
    SELECT indicator, year, school_id, numerator, denominator
      FROM admin_figures
     WHERE municipality = :municipality
     ORDER BY indicator, year, school_id NULLS FIRST
    """
)

_UPSERT_FIGURE = text(
    """
    INSERT INTO admin_figures (municipality, indicator, year, school_id, numerator, denominator)
    VALUES (:municipality, :indicator, :year, :school_id, :numerator, :denominator)
    ON CONFLICT (municipality, indicator, year, coalesce(school_id, 0))
    DO UPDATE SET numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator
    RETURNING (xmax = 0) AS inserted
    """
)


def _int_list(values: Sequence[int]) -> str:
    """A literal int[] for a COPY statement (COPY takes no bind parameters)."""
    return "'{" + ",".join(str(int(v)) for v in values) + "}'::int[]"


def copy_select(
    campaign_ids: Sequence[int], instrument_version_id: int, n_codes: int, n_numbers: int, cutoff: int | None = None
) -> str:
    """The SELECT whose rows are one response each, as one comma-separated text value:
    campaign, school, then every code and every number in layout order (empty = null).

    ``array_to_string`` per array is markedly faster in PostgreSQL than one ``codes[i]``
    subscript per variable; every response of a version has the version's full layout.
    """
    parts = ["r.campaign_id::text", "coalesce(r.school_id::text, '')"]
    if n_codes:
        parts.append(f"coalesce(array_to_string(r.codes, ',', ''), '{',' * (n_codes - 1)}')")
    if n_numbers:
        parts.append(f"coalesce(array_to_string(r.numbers, ',', ''), '{',' * (n_numbers - 1)}')")
    line = " || ',' || ".join(parts)
    return (
        f"SELECT {line} FROM responses AS r "
        f"WHERE r.campaign_id = ANY({_int_list(campaign_ids)}) "
        f"AND r.instrument_version_id = {int(instrument_version_id)}"
        + ("" if cutoff is None else f" AND r.id <= {int(cutoff)}")
    )


class IndicatorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def wave_campaigns(self, municipality: str, instrument_key: str, wave: int) -> list[CampaignVersionRow]:
        rows = await self.session.execute(
            _CAMPAIGNS, {"municipality": municipality, "key": instrument_key, "wave": wave}
        )
        return [CampaignVersionRow(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def release_cutoff(self, municipality: str, instrument_key: str, wave: int, step: int) -> int:
        """The last released response id of a wave (0: none) when results move in steps of `step`."""
        row = await self.session.execute(
            _RELEASE_CUTOFF, {"municipality": municipality, "key": instrument_key, "wave": wave, "k": max(step, 1)}
        )
        return int(row.scalar_one() or 0)  # 0: a wave without responses

    async def waves_with_responses(self, municipality: str, instrument_key: str) -> list[int]:
        rows = await self.session.execute(_WAVES, {"municipality": municipality, "key": instrument_key})
        return [int(r[0]) for r in rows]

    async def copy_responses_csv(
        self,
        campaign_ids: Sequence[int],
        instrument_version_id: int,
        n_codes: int,
        n_numbers: int,
        *,
        connection: AsyncConnection | None = None,
        cutoff: int | None = None,
    ) -> bytes:
        """Responses of `campaign_ids` answered on one instrument version, as header-less CSV lines.

        `connection`: read on this connection instead of the session's (parallel extraction)."""
        conn = connection or await self.session.connection()
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection
        chunks: list[bytes] = []

        async def sink(chunk: bytes) -> None:
            chunks.append(chunk)

        query = copy_select(campaign_ids, instrument_version_id, n_codes, n_numbers, cutoff)
        await driver.copy_from_query(query, output=sink, format="text")
        return b"".join(chunks)

    async def schools(self, municipality: str) -> list[SchoolRow]:
        rows = await self.session.execute(_SCHOOLS, {"municipality": municipality})
        return [SchoolRow(r[0], r[1], r[2]) for r in rows]

    async def figures(self, municipality: str) -> list[FigureRow]:
        rows = await self.session.execute(_FIGURES, {"municipality": municipality})
        return [FigureRow(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def upsert_figures(self, figures: Sequence[FigureWrite]) -> tuple[int, int]:
        """Insert or replace figures by (municipality, indicator, year, school); (inserted, updated)."""
        inserted = updated = 0
        for f in figures:
            row = (
                await self.session.execute(
                    _UPSERT_FIGURE,
                    {
                        "municipality": f.municipality,
                        "indicator": f.indicator,
                        "year": f.year,
                        "school_id": f.school_id,
                        "numerator": f.numerator,
                        "denominator": f.denominator,
                    },
                )
            ).one()
            if row[0]:
                inserted += 1
            else:
                updated += 1
        await self.session.flush()
        return inserted, updated
