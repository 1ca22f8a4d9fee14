"""The evaluation result format: frozen msgspec structs, one flat row per indicator.

Format version policy (``FORMAT_VERSION``, "major.minor"): adding a field bumps the minor number;
renaming or removing a field, or changing a field's meaning or unit, bumps the major number.
Readers should check the major number. Shares, values, changes and targets are fractions 0–1.

History: 1.0 first version; 1.1 added ``IndicatorResult.note_codes`` (the notes as codes with
parameters, for translation) and ``Evaluation.scales`` (scale-score means, before/after, Welch's
t, Hedges' g and Cronbach's alpha; in the JSON only — the CSV stays one row per indicator); 1.2
added ``IndicatorResult.deff_convention``, ``plan_baseline_*`` and ``IndicatorResult.inference`` (census / sample /
super-population): a census row has no interval, a plain verdict (``verdict_test`` "census")
and a plain change ("difference (census)"); 1.3 added ``Evaluation.catalogue_version`` (the
stored plan catalogue version the evaluation used: number, date, content hash).

A suppressed row (group under the municipality's suppression threshold) carries no figure: value,
interval, counts, change and p-values are null and ``verdict`` is ``"suppressed"``. A suppressed
scale row (:class:`ScaleResult`) likewise has every figure null.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Literal, get_args, get_origin

import msgspec
import polars as pl

from pmp_surveys.spreadsheets import BOM, defuse

__all__ = [
    "FORMAT_VERSION",
    "CatalogueVersionRef",
    "Comparison",
    "Evaluation",
    "IndicatorResult",
    "NoteCode",
    "ScaleResult",
    "VerdictLabel",
    "result_schema",
]

FORMAT_VERSION = "1.3"

Comparison = Literal["two-sample", "against-published-value", "none"]
VerdictLabel = Literal["achieved", "not_achieved", "not_yet_distinguishable", "no_data", "suppressed", "no_target"]
BaselineSource = Literal["microdata", "figures", "published", "none"]


class NoteCode(msgspec.Struct, frozen=True, kw_only=True):
    """A note as a code and its parameters (see :mod:`pmp_surveys.indicators.notes`); a count of
    respondents under the suppression threshold is given as the string ``"<threshold"``."""

    code: str
    params: dict[str, str | int | float] = msgspec.field(default_factory=dict)


class IndicatorResult(msgspec.Struct, frozen=True, kw_only=True):
    """One indicator of one municipality and wave, with its change and target verdict."""

    code: str
    number: str | None
    name: str
    name_lv: str
    kind: Literal["indicator", "expected_result"]
    source: Literal["survey", "administrative"]
    direction: Literal["rise", "fall"]
    tier: str | None
    instrument: str | None
    rule: str | None
    design: str | None
    """The design asked for in the catalogue (simple / clustered / weighted)."""
    design_used: str | None
    """The design actually used (``weighted`` without margins falls back to ``simple``; ``census``
    for complete administrative counts, ``administrative`` / ``super-population`` for figures read
    with a Wilson interval)."""
    inference: Literal["census", "sample", "super-population"] = "sample"
    """How the figures are read: ``census`` (complete count: no interval, plain verdict and
    difference), ``sample`` or ``super-population`` (intervals and tests). Format 1.2."""
    method: str | None
    """Interval method of ``value``: wilson, or the design-based interval (beta = Korn–Graubard)."""

    wave: int
    value: float | None
    ci_low: float | None
    ci_high: float | None
    std_error: float | None
    n: int | None
    """Respondents (or the figure's denominator) counted in the value."""
    n_excluded: int | None
    """Answers the rule excludes from the denominator (e.g. "don't know")."""
    n_blank: int | None
    """Responses without a usable answer (not answered, not shown, too few scale items)."""
    n_set_aside: int | None
    deff: float | None
    """Design effect: the design variance over the variance of a simple random sample of the same
    size drawn *without replacement* from the population (R ``svymean(..., deff=TRUE)``); against
    sampling with replacement it would be larger by N/(N − n) — a factor 2 when half the teachers
    answered. Named in ``deff_convention``."""
    deff_convention: Literal["srs-without-replacement"] | None = None

    plan_baseline_value: float | None = None
    """The baseline printed in the plan (format 1.2), whatever the comparison used."""
    plan_baseline_year: int | None = None
    plan_baseline_text: str | None = None
    """The plan's own wording, e.g. "5% (2022)" or "to be set in 2024"."""
    baseline_year: int | None
    baseline_source: BaselineSource
    baseline_value: float | None
    baseline_ci_low: float | None
    baseline_ci_high: float | None
    baseline_n: int | None

    comparison: Comparison
    """two-sample (baseline microdata or figures), against-published-value (a published baseline
    taken as known, one-sample test), or none (no baseline)."""
    change: float | None
    change_ci_low: float | None
    change_ci_high: float | None
    change_p_value: float | None
    change_method: str | None
    change_p_holm: float | None = None
    change_p_bh: float | None = None

    target_year: int | None
    target_kind: str | None
    target_value: float | None
    target_text: str | None
    verdict: VerdictLabel
    """achieved / not_achieved / not_yet_distinguishable (the interval contains the target) for the
    target of ``target_year``; no_data (no figure), suppressed (small group), no_target (the plan
    sets none, e.g. expected results)."""
    verdict_p_value: float | None
    """One-sided p-value of H0 "target not met" (small ⇒ evidence the target is met)."""
    verdict_test: str | None
    verdict_p_holm: float | None = None
    verdict_p_bh: float | None = None

    suppressed: bool = False
    baseline_suppressed: bool = False
    notes: tuple[str, ...] = ()
    note_codes: tuple[NoteCode, ...] = ()
    """The same notes as codes with parameters, in the same order (format 1.1)."""


class ScaleResult(msgspec.Struct, frozen=True, kw_only=True):
    """One scale score (a ``scale`` rule of an instrument, e.g. the TSES total) of one wave: the
    design-based mean, the baseline wave's mean and their difference, Welch's t and Hedges' g
    (unweighted) and Cronbach's alpha. Scores are on the items' scale (e.g. 1–9), not fractions."""

    instrument: str
    rule: str
    name: str
    name_lv: str
    items: int
    design_used: str | None
    """clustered (schools as strata, head-count fpc, as the indicators) or simple."""
    method: str | None
    """Interval of ``mean``: design-based t interval on the design's degrees of freedom."""

    wave: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None
    std_error: float | None
    n: int | None
    """Respondents with a score."""
    n_blank: int | None
    """Responses without a score (too few valid items)."""
    deff: float | None

    baseline_year: int | None
    """The baseline wave (microdata), or None when the comparison has none."""
    baseline_mean: float | None
    baseline_ci_low: float | None
    baseline_ci_high: float | None
    baseline_n: int | None

    change: float | None
    """mean − baseline_mean, design-based: z difference of two independent estimates."""
    change_ci_low: float | None
    change_ci_high: float | None
    change_p_value: float | None
    change_method: str | None

    welch_t: float | None
    """Welch's t of the unweighted scores (wave − baseline), its df, p-value and the interval of the
    unweighted difference of means."""
    welch_df: float | None
    welch_p_value: float | None
    welch_difference: float | None
    welch_ci_low: float | None
    welch_ci_high: float | None
    hedges_g: float | None
    """Hedges' g (wave − baseline over the pooled SD, small-sample corrected) with its interval."""
    hedges_g_ci_low: float | None
    hedges_g_ci_high: float | None

    alpha: float | None
    """Cronbach's alpha of the wave (complete cases) with Feldt's interval."""
    alpha_ci_low: float | None
    alpha_ci_high: float | None
    alpha_n: int | None

    suppressed: bool = False
    baseline_suppressed: bool = False
    notes: tuple[str, ...] = ()
    note_codes: tuple[NoteCode, ...] = ()


class CatalogueVersionRef(msgspec.Struct, frozen=True, kw_only=True):
    """Which stored catalogue version (``catalogue_versions``) an evaluation used (format 1.3)."""

    number: int
    created_at: dt.datetime
    content_hash: str
    """sha256 of the catalogue's canonical JSON (hex)."""


class Evaluation(msgspec.Struct, frozen=True, kw_only=True):
    """The evaluation of every indicator of a municipality's catalogue for one wave."""

    format_version: str
    municipality: str
    municipality_name: str
    wave: int
    baseline: int | Literal["plan", "published"] | None
    """The baseline asked for: None = ``auto`` (see :data:`pmp_surveys.indicators.baseline.BaselineChoice`)."""
    """As requested: a wave year with microdata, "published" (the catalogue's figures), or None
    (each indicator's catalogue baseline)."""
    confidence_level: float
    suppression_threshold: int
    methods: dict[str, str]
    generated_at: dt.datetime
    indicators: tuple[IndicatorResult, ...]
    scales: tuple[ScaleResult, ...] = ()
    """Scale scores of each instrument with scale rules (format 1.1); not in the CSV."""
    catalogue_version: CatalogueVersionRef | None = None
    """The stored plan version used (format 1.3); None when evaluated from a file directly."""

    def indicator(self, code: str) -> IndicatorResult:
        for result in self.indicators:
            if result.code == code:
                return result
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        return msgspec.to_builtins(self)  # type: ignore[no-any-return]

    def to_json(self, *, indent: int = 0) -> bytes:
        data = msgspec.json.encode(self)
        return msgspec.json.format(data, indent=indent) if indent else data

    def to_frame(self) -> pl.DataFrame:
        """One row per indicator; ``notes`` joined with "; ", plus the evaluation's metadata
        (``note_codes`` and the scale rows are in the JSON only)."""
        rows = []
        for result in self.indicators:
            row = msgspec.to_builtins(result)
            row["notes"] = "; ".join(result.notes)
            row.pop("note_codes", None)
            rows.append(row)
        frame = pl.DataFrame(rows, schema=_FRAME_SCHEMA, orient="row") if rows else pl.DataFrame(schema=_FRAME_SCHEMA)
        return frame.with_columns(
            pl.lit(self.municipality).alias("municipality"),
            pl.lit(str(self.baseline) if self.baseline is not None else None, pl.String).alias("baseline_requested"),
            pl.lit(self.format_version).alias("format_version"),
        )

    def to_csv(self, *, bom: bool = True) -> str:
        """One row per indicator; UTF-8 with a byte-order mark (Excel), text cells defused against formulas."""
        frame = self.to_frame()
        texts = [name for name, dtype in frame.schema.items() if dtype == pl.String]
        frame = frame.with_columns(pl.col(n).map_elements(defuse, return_dtype=pl.String) for n in texts)
        buffer = io.StringIO()
        frame.write_csv(buffer)
        return (BOM if bom else "") + buffer.getvalue()


def result_schema() -> dict[str, Any]:
    """JSON Schema of the result format (:class:`Evaluation`), for consumers of the JSON output."""
    schema = msgspec.json.schema(Evaluation)
    schema["$comment"] = f"pmp-surveys evaluation result, format_version {FORMAT_VERSION}"
    return schema


def _polars_type(hint: Any) -> pl.DataType:
    args = {a for a in get_args(hint) if a is not type(None)} if get_origin(hint) is not Literal else set()
    kinds = args or {hint}
    if kinds == {float}:
        return pl.Float64()
    if kinds == {int}:
        return pl.Int64()
    if kinds == {bool}:
        return pl.Boolean()
    return pl.String()


def _frame_schema() -> dict[str, pl.DataType]:
    return {
        f.name: pl.String() if f.name == "notes" else _polars_type(f.type)
        for f in msgspec.structs.fields(IndicatorResult)
        if f.name != "note_codes"
    }


_FRAME_SCHEMA = _frame_schema()
