"""Export rules: who may export, which columns, what is coarsened, blanked or left out.

* Only evaluators of the campaign's municipality (and operators) may export; another
  municipality's campaign is "not found". The command line passes `user=None` (server shell).
* No identifying data: a fresh response number 1..n instead of the database id, the month instead
  of the day, rows shuffled within a month, no idempotency key or fingerprint; free text only
  with `include_text=True`, and then with spreadsheet formulas defused (a leading ').
* Small cells: in teacher surveys, the school code is blanked on the rows of every school with
  fewer responses (in the export's scope) than the municipality's suppression threshold; the
  codebook says how many schools and rows.

Nothing here imports Litestar; connections are asyncpg connections inside a transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.errors import Conflict, NotFound, ValidationFailed
from pmp_surveys.exports import repository as repo
from pmp_surveys.exports.codebook import Codebook, Variable, export_variables, neutralize, rule_docs
from pmp_surveys.exports.codebook_words import word
from pmp_surveys.instruments.definition import LANGUAGES, Instrument, Lang

DEFAULT_BATCH_SIZE = 2000

#: A batch of rows, column by column: variable name → values.
Columns = dict[str, list[Any]]


@dataclass(frozen=True)
class ExportScope:
    """What one export covers: campaigns of one instrument version in one municipality."""

    municipality: str
    campaigns: tuple[repo.CampaignRow, ...]
    instrument: Instrument
    lang: Lang
    include_text: bool
    threshold: int
    variables: tuple[Variable, ...] = field(default=())
    #: Shuffles the row order within a month (fresh per export unless given).
    salt: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def campaign_ids(self) -> list[int]:
        return [c.id for c in self.campaigns]

    @property
    def version_id(self) -> int:
        return self.campaigns[0].instrument_version_id

    @property
    def with_school(self) -> bool:
        return any(c.audience == "teachers" for c in self.campaigns)

    @property
    def base_name(self) -> str:
        """A file name stem: the campaign slug, or municipality-instrument-wave."""
        if len(self.campaigns) == 1:
            return self.campaigns[0].slug
        first = self.campaigns[0]
        return f"{first.municipality}-{first.instrument_key}-{first.wave}"


@dataclass(frozen=True)
class SchoolMap:
    """School id → the code the export shows (None: blanked, a school under the threshold)."""

    codes: dict[int, str | None]
    suppressed_schools: int
    suppressed_rows: int


def _check_lang(lang: str) -> Lang:
    if lang not in LANGUAGES:
        raise ValidationFailed(
            "Unsupported language.",
            errors=[{"field": "lang", "code": "unknown_language", "message": f"lang must be one of {LANGUAGES}"}],
        )
    return lang


def _scope(campaigns: Sequence[repo.CampaignRow], *, lang: str, include_text: bool, threshold: int) -> ExportScope:
    versions = {c.instrument_version_id for c in campaigns}
    if len(versions) > 1:
        raise Conflict(
            "These campaigns use different versions of the instrument; export them one campaign at a time.",
            code="mixed_instrument_versions",
        )
    language = _check_lang(lang)
    instrument = msgspec.convert(campaigns[0].definition, Instrument)
    scope = ExportScope(
        municipality=campaigns[0].municipality,
        campaigns=tuple(campaigns),
        instrument=instrument,
        lang=language,
        include_text=include_text,
        threshold=threshold,
    )
    variables = export_variables(instrument, language, with_school=scope.with_school, include_text=include_text)
    return dataclasses.replace(scope, variables=tuple(variables))


async def campaign_scope(
    conn: Any, slug: str, *, user: CurrentUser | None, lang: str, include_text: bool, thresholds: dict[str, int]
) -> ExportScope:
    """One campaign's export; `thresholds` maps municipality → suppression threshold (default 5)."""
    campaign = await repo.campaign_by_slug(conn, slug)
    if campaign is None:
        raise NotFound("No campaign has this link.", code="campaign_not_found")
    if user is not None:
        require_evaluator(user, campaign.municipality)
    threshold = thresholds.get(campaign.municipality, 5)
    return _scope([campaign], lang=lang, include_text=include_text, threshold=threshold)


async def wave_scope(
    conn: Any,
    municipality: str,
    instrument_key: str,
    wave: int,
    *,
    user: CurrentUser | None,
    lang: str,
    include_text: bool,
    thresholds: dict[str, int],
) -> ExportScope:
    """Every (non-draft) campaign of a municipality's wave for one instrument."""
    if user is not None:
        require_evaluator(user, municipality)
    campaigns = await repo.wave_campaigns(conn, municipality, instrument_key, wave)
    if not campaigns:
        raise NotFound(f"No {instrument_key} campaign of wave {wave} in {municipality}.", code="campaign_not_found")
    return _scope(campaigns, lang=lang, include_text=include_text, threshold=thresholds.get(municipality, 5))


async def school_map(conn: Any, scope: ExportScope) -> SchoolMap:
    """Which school codes may be shown (small-cell rule); empty when the export has no school column."""
    if not scope.with_school:
        return SchoolMap({}, 0, 0)
    counts = await repo.school_counts(conn, scope.campaign_ids, scope.version_id)
    codes: dict[int, str | None] = {}
    suppressed = rows = 0
    for c in counts:
        small = c.responses < scope.threshold
        codes[c.school_id] = None if small else c.code
        suppressed += small
        rows += c.responses if small else 0
    return SchoolMap(codes, suppressed, rows)


def _columns(scope: ExportScope, schools: SchoolMap, rows: list[repo.ResponseRow], first: int) -> Columns:
    out: Columns = {}
    for v in scope.variables:
        if v.name == "response":
            out[v.name] = list(range(first, first + len(rows)))
        elif v.name == "school":
            out[v.name] = [None if r.school_id is None else schools.codes.get(r.school_id) for r in rows]
        elif v.name == "wave":
            out[v.name] = [r.wave for r in rows]
        elif v.name == "submitted_month":
            out[v.name] = [r.month for r in rows]
        elif v.source == "codes":
            i = v.index
            assert i is not None
            out[v.name] = [r.codes[i] if i < len(r.codes) else None for r in rows]
        elif v.source == "numbers":
            j = v.index
            assert j is not None
            out[v.name] = [r.numbers[j] if r.numbers and j < len(r.numbers) else None for r in rows]
        else:
            values = [(r.texts or {}).get(v.name) for r in rows]
            out[v.name] = [None if t is None else neutralize(str(t)) for t in values]
    return out


async def column_batches(
    conn: Any, scope: ExportScope, schools: SchoolMap, batch_size: int = DEFAULT_BATCH_SIZE
) -> AsyncIterator[Columns]:
    """The export's rows as column batches, streamed from a server-side cursor (in a transaction)."""
    n = 1
    async for rows in repo.response_batches(conn, scope.campaign_ids, scope.version_id, batch_size, scope.salt):
        yield _columns(scope, schools, rows, n)
        n += len(rows)


async def build_codebook(conn: Any, scope: ExportScope, schools: SchoolMap | None = None) -> Codebook:
    schools = schools or await school_map(conn, scope)
    total = await repo.response_count(conn, scope.campaign_ids, scope.version_id)
    first = scope.campaigns[0]
    lang = scope.lang
    notes = [word("note_identity", lang), word("note_codes", lang)]
    if scope.with_school:
        notes.append(
            word(
                "note_small_cells",
                lang,
                threshold=scope.threshold,
                schools=schools.suppressed_schools,
                rows=schools.suppressed_rows,
            )
        )
    notes.append(word("note_text_included" if scope.include_text else "note_text_left_out", lang))
    return Codebook(
        title=scope.instrument.title.get(scope.lang),
        instrument=first.instrument_key,
        instrument_version=first.instrument_version,
        content_hash=first.content_hash,
        municipality=scope.municipality,
        campaigns=[c.slug for c in scope.campaigns],
        waves=sorted({c.wave for c in scope.campaigns}),
        language=scope.lang,
        generated_on=dt.date.today(),
        responses=total,
        include_text=scope.include_text,
        suppression_threshold=scope.threshold,
        schools_suppressed=schools.suppressed_schools,
        rows_without_school=schools.suppressed_rows,
        notes=notes,
        variables=list(scope.variables),
        scoring=rule_docs(scope.instrument, scope.lang),
    )
