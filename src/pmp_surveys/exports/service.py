"""Export rules: who may export, which columns, what is coarsened, blanked or left out.

* Only evaluators of the campaign's municipality (and operators) may export; another
  municipality's campaign is "not found". The command line passes `user=None` (server shell).
* No identifying data: a fresh response number 1..n instead of the database id, the month instead
  of the day, rows shuffled within a month, no idempotency key or fingerprint; free text only
  with `include_text=True`, exactly as given (the CSV writer defuses formulas; `.sav`, `.dta` and
  `.parquet` carry the analyst's data unchanged).
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
from pmp_surveys.analysis.kanon import k_anonymize
from pmp_surveys.errors import Conflict, NotFound, ValidationFailed
from pmp_surveys.exports import repository as repo
from pmp_surveys.exports.codebook import Codebook, Variable, export_variables, rule_docs
from pmp_surveys.exports.codebook_words import word
from pmp_surveys.exports.design_code import DesignCode, design_code
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
    #: Question ids declared quasi-identifiers (the instrument file's `quasi_identifiers`).
    quasi_identifiers: tuple[str, ...] = field(default=())
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
class Protection:
    """What an export may show (README, "Disclosure control"):

    `cutoff`: the last released response id (release in steps of k); `blanked`: response id →
    names of the quasi-identifier variables blanked in that row (k-anonymity by local
    suppression); `counts`: how many values of each variable were blanked (for the codebook)."""

    cutoff: int
    rows: int
    blanked: dict[int, frozenset[str]]
    counts: dict[str, int]
    #: School codes still shown in at least one row, and those blanked in every row of theirs
    #: (for the design code in the codebook; never published as such).
    schools_shown: frozenset[str] = frozenset()
    schools_hidden: frozenset[str] = frozenset()


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
    return dataclasses.replace(scope, variables=tuple(variables), quasi_identifiers=tuple(instrument.quasi_identifiers))


async def _with_latest_identifiers(conn: Any, scope: ExportScope) -> ExportScope:
    """Versions stored before `quasi_identifiers` existed take the newest version's declaration."""
    latest = await repo.latest_definition(conn, scope.campaigns[0].instrument_key)
    declared = set(scope.quasi_identifiers) | set((latest or {}).get("quasi_identifiers", []))
    own = {q.id for q in scope.instrument.questions}
    return dataclasses.replace(scope, quasi_identifiers=tuple(sorted(declared & own)))


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
    scope = _scope([campaign], lang=lang, include_text=include_text, threshold=threshold)
    return await _with_latest_identifiers(conn, scope)


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
    scope = _scope(campaigns, lang=lang, include_text=include_text, threshold=thresholds.get(municipality, 5))
    return await _with_latest_identifiers(conn, scope)


def quasi_identifiers(scope: ExportScope) -> list[Variable]:
    """The export's quasi-identifier variables, least important first (blanked first):
    month of submission, the declared questions in reverse order, the school last."""
    declared = [v for v in scope.variables if v.source == "codes" and v.question_id in scope.quasi_identifiers]
    meta = {v.name: v for v in scope.variables if v.source == "meta"}
    out = [meta["submitted_month"], *reversed(declared)]
    if "school" in meta:
        out.append(meta["school"])
    return out


async def protection(conn: Any, scope: ExportScope) -> Protection:
    """Release cutoff, minimum size and k-anonymity of the export (in the export's transaction).

    Raises Conflict (409) ``too_few_responses`` when fewer than k responses are released, or
    ``complement_too_small`` when a campaign's export would leave the rest of its wave a group of
    fewer than k (the wave's export minus this one)."""
    k = max(scope.threshold, 1)
    first = scope.campaigns[0]
    cutoff = await repo.release_cutoff(conn, scope.municipality, first.instrument_key, first.wave, k)
    rows = await repo.response_count(conn, scope.campaign_ids, scope.version_id, cutoff)
    if 0 < rows < k:  # an empty campaign exports an empty file; any other group under k nothing
        raise Conflict(
            f"Fewer than {k} released responses: no microdata leave the system for this group.",
            code="too_few_responses",
        )
    if len(scope.campaigns) == 1:
        wave = await repo.wave_campaigns(conn, scope.municipality, first.instrument_key, first.wave)
        same = [c.id for c in wave if c.instrument_version_id == scope.version_id]
        rest = await repo.response_count(conn, same, scope.version_id, cutoff) - rows
        if 0 < rest < k:
            raise Conflict(
                f"The rest of this wave would be a group of fewer than {k} responses (the wave's export "
                "minus this one); export the whole wave instead.",
                code="complement_too_small",
            )
    qis = quasi_identifiers(scope)
    keys = await repo.key_rows(conn, scope.campaign_ids, scope.version_id, cutoff)
    records = [tuple(_key_value(v, r) for v in qis) for r in keys]
    result = k_anonymize(records, [v.name for v in qis], k)
    blanked: dict[int, frozenset[str]] = {}
    for r, before, after in zip(keys, records, result.records, strict=True):
        gone = frozenset(v.name for v, x, y in zip(qis, before, after, strict=True) if x is not None and y is None)
        if gone:
            blanked[r.id] = gone
    shown = frozenset(r.school for r in keys if r.school is not None and "school" not in blanked.get(r.id, ()))
    hidden = frozenset(r.school for r in keys if r.school is not None) - shown
    return Protection(cutoff, rows, blanked, {n: c for n, c in result.blanked.items() if c}, shown, hidden)


def _key_value(v: Variable, row: repo.KeyRow) -> Any:
    if v.name == "school":
        return row.school
    if v.name == "submitted_month":
        return row.month
    i = v.index
    assert i is not None
    return row.codes[i] if i < len(row.codes) else None


def _columns(scope: ExportScope, shield: Protection, rows: list[repo.ResponseRow], first: int) -> Columns:
    out: Columns = {}
    empty: frozenset[str] = frozenset()
    hidden = [shield.blanked.get(r.id, empty) for r in rows]
    for v in scope.variables:
        if v.name == "response":
            values: list[Any] = list(range(first, first + len(rows)))
        elif v.name == "school":
            values = [r.school for r in rows]
        elif v.name == "wave":
            values = [r.wave for r in rows]
        elif v.name == "submitted_month":
            values = [r.month for r in rows]
        elif v.source == "codes":
            i = v.index
            assert i is not None
            values = [r.codes[i] if i < len(r.codes) else None for r in rows]
        elif v.source == "numbers":
            j = v.index
            assert j is not None
            values = [r.numbers[j] if r.numbers and j < len(r.numbers) else None for r in rows]
        else:
            texts = [(r.texts or {}).get(v.name) for r in rows]
            values = [None if t is None else str(t) for t in texts]
        out[v.name] = [None if v.name in h else x for x, h in zip(values, hidden, strict=True)]
    return out


async def column_batches(
    conn: Any, scope: ExportScope, shield: Protection, batch_size: int = DEFAULT_BATCH_SIZE
) -> AsyncIterator[Columns]:
    """The export's released rows as column batches, streamed from a server-side cursor (in a transaction)."""
    n = 1
    async for rows in repo.response_batches(
        conn, scope.campaign_ids, scope.version_id, batch_size, scope.salt, shield.cutoff
    ):
        yield _columns(scope, shield, rows, n)
        n += len(rows)


async def build_codebook(conn: Any, scope: ExportScope, shield: Protection | None = None) -> Codebook:
    shield = shield or await protection(conn, scope)
    total = shield.rows
    first = scope.campaigns[0]
    lang = scope.lang
    k = scope.threshold
    names = ", ".join(v.name for v in quasi_identifiers(scope))
    done = "; ".join(word("note_blanked", lang, name=n, count=c) for n, c in sorted(shield.counts.items()))
    notes = [
        word("note_identity", lang),
        word("note_codes", lang),
        word("note_release", lang, k=k),
        word("note_k_anonymity", lang, names=names, k=k, done=done or word("note_blanked_none", lang)),
        word("note_text_included" if scope.include_text else "note_text_left_out", lang),
    ]
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
        quasi_identifiers=[v.name for v in quasi_identifiers(scope)],
        values_blanked=dict(sorted(shield.counts.items())),
        notes=notes,
        variables=list(scope.variables),
        scoring=rule_docs(scope.instrument, scope.lang),
        design=await export_design(conn, scope, shield),
    )


async def export_design(conn: Any, scope: ExportScope, shield: Protection) -> DesignCode:
    """The export's sampling design as runnable R and Python code (`exports.design_code`)."""
    example = next((v.name for v in scope.variables if v.source == "codes"), "response")
    if not scope.with_school:
        return design_code(scope.base_name, example, headcounts=None)
    counts = await repo.school_headcounts(
        conn, scope.municipality, sorted(shield.schools_shown | shield.schools_hidden)
    )
    shown = {code: counts.get(code) for code in sorted(shield.schools_shown)}
    blanked = [counts.get(code) for code in sorted(shield.schools_hidden)]
    return design_code(scope.base_name, example, headcounts=shown, blanked_headcounts=blanked)
