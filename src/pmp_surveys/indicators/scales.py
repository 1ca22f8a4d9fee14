"""Scale scores of a wave (e.g. the TSES total and subscales), before and after (pure).

For every ``scale`` rule of an instrument the municipality surveys:

- **Mean** — design-based mean of the respondents' scores with a t interval on the design's
  degrees of freedom (:func:`pmp_surveys.analysis.design.survey_mean`), in the same design as the
  instrument's indicators: teachers with schools as strata, head-counts as fpc and weights
  ``N_h/n_h`` (:func:`pmp_surveys.indicators.estimates.clustered_design`, shared with them);
  other instruments unweighted.
- **Baseline and change** — the baseline wave's mean (a baseline year with microdata: the one
  asked for, or the one the instrument's indicators resolved to), and the difference as a z
  difference of two independent design-based estimates (SE = √(SE₁² + SE₀²)), as the indicators.
- **Effect size** — Welch's t of the unweighted scores (:func:`pmp_surveys.analysis.scales.welch_t`)
  and Hedges' g with its interval (:func:`pmp_surveys.analysis.scales.hedges_g`, Hedges & Olkin
  1985); both ignore the design and are the conventional effect-size summary.
- **Reliability** — Cronbach's alpha of the wave (complete cases) with Feldt's interval.
- **Suppression** — a group with fewer scores than the threshold gives no figure; a baseline
  under the threshold gives no baseline, change, t or g; an alpha on fewer complete cases than
  the threshold is withheld.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from pmp_surveys.analysis.design import DesignEstimate, SurveyDesign, survey_mean
from pmp_surveys.analysis.scales import AlphaEstimate, EffectSize, WelchResult, cronbach_alpha, hedges_g, welch_t
from pmp_surveys.analysis.suppression import is_small
from pmp_surveys.catalogue.schema import Municipality
from pmp_surveys.indicators.baseline import BaselineChoice, design_df, difference_t
from pmp_surveys.indicators.estimates import ClusteredDesign, clustered_design
from pmp_surveys.indicators.extract import WaveResponses
from pmp_surveys.indicators.notes import note
from pmp_surveys.indicators.schemas import IndicatorResult, NoteCode, ScaleResult
from pmp_surveys.indicators.scoring import score_rule
from pmp_surveys.instruments.coding import DONT_KNOW_CODE
from pmp_surveys.instruments.definition import Instrument, LikertQuestion, ScaleRule

__all__ = ["ScaleGroup", "evaluate_scales", "scale_alpha", "scale_group", "scale_rules"]

#: Method names of the scale rows.
MEAN_METHOD = "design-t"
CHANGE_METHOD = "design-t"


def scale_rules(data: WaveResponses) -> list[tuple[Instrument, ScaleRule]]:
    """The scale rules of the wave's latest instrument version, in file order."""
    if not data.parts:
        return []
    latest = max(data.parts, key=lambda p: p.version).instrument
    return [(latest, rule) for rule in latest.scoring if isinstance(rule, ScaleRule)]


def scale_alpha(
    data: WaveResponses, instrument: Instrument, rule: ScaleRule, confidence_level: float
) -> AlphaEstimate | None:
    """Cronbach's alpha of `rule`'s items over every version's rows ("don't know" = missing);
    None for a single-item scale or items missing from the frame."""
    if len(rule.items) < 2:
        return None
    frame = data.aligned()
    if any(item not in frame.columns for item in rule.items):
        return None
    questions = [instrument.question(i) for i in rule.items]
    points = max((q.points for q in questions if isinstance(q, LikertQuestion)), default=None)
    reverse = [q.id for q in questions if isinstance(q, LikertQuestion) and q.reverse]
    items = frame.select(
        [
            pl.when(pl.col(i) == DONT_KNOW_CODE)
            .then(None)
            .otherwise(pl.col(i))
            .cast(pl.Float64)
            .fill_nan(None)
            .alias(i)
            for i in rule.items
        ]
    )
    return cronbach_alpha(items, rule.items, reverse=reverse, points=points, confidence_level=confidence_level)


@dataclass(frozen=True)
class ScaleGroup:
    """One wave's scores of one scale rule (``school_id``, ``score``) and their design-based mean."""

    scores: pl.Series
    estimate: DesignEstimate | None
    n_blank: int
    design: str
    notes: tuple[NoteCode, ...] = ()

    @property
    def n(self) -> int:
        return int(self.scores.is_not_null().sum())


def scale_group(
    data: WaveResponses,
    rule_id: str,
    teachers: pl.DataFrame,
    *,
    clustered: bool,
    confidence_level: float,
    designs: dict[tuple[int, str], ClusteredDesign] | None = None,
    scored_parts: Mapping[tuple[int, str], pl.DataFrame] | None = None,
) -> ScaleGroup | None:
    """The scores of `rule_id` on every version of the wave that has it, and their mean.
    `designs`: the evaluation's cache of clustered designs (same rows, same design);
    `scored_parts`: scores already computed, by (id of the version part, rule id)."""
    parts = [p for p in data.parts if any(r.id == rule_id and isinstance(r, ScaleRule) for r in p.instrument.scoring)]
    if not parts:
        return None
    done = scored_parts or {}
    scored = pl.concat(
        [
            (done[(id(p), rule_id)] if (id(p), rule_id) in done else score_rule(p.frame, p.instrument, rule_id)).select(
                "school_id", "score"
            )
            for p in parts
        ],
        how="vertical_relaxed",
    )
    scores = scored.get_column("score")
    n_blank = int(scores.is_null().sum())
    if scores.is_not_null().sum() == 0:
        return ScaleGroup(scores, None, n_blank, "clustered" if clustered else "simple")
    notes: tuple[NoteCode, ...] = ()
    if clustered:
        key = (id(data), "clustered:" + ",".join(str(id(p)) for p in parts))
        cache = designs if designs is not None else {}
        if key not in cache:
            cache[key] = clustered_design(scored.get_column("school_id"), teachers)
        design = cache[key]
        notes = design.notes
        if design.prepared is not None:
            estimate = design.prepared.means(scores.to_frame("score"), confidence_level=confidence_level)["score"]
            return ScaleGroup(scores, estimate, n_blank, "clustered", notes)
    estimate = survey_mean(scored.select("score"), "score", SurveyDesign(), confidence_level=confidence_level)
    return ScaleGroup(scores, estimate, n_blank, "simple", notes)


def _change(
    cur: DesignEstimate, old: DesignEstimate, confidence_level: float
) -> tuple[float | None, float | None, float | None, float | None]:
    """(difference, low, high, p) of two independent design-based means: t on df1 + df0
    (:func:`pmp_surveys.indicators.baseline.difference_t`)."""
    if cur.estimate is None or old.estimate is None or cur.std_error is None or old.std_error is None:
        return None, None, None, None
    diff = cur.estimate - old.estimate
    se = math.hypot(cur.std_error, old.std_error)
    if se == 0.0:
        return diff, diff, diff, (1.0 if diff == 0.0 else None)
    low, high, p, _ = difference_t(diff, se, design_df(cur, old), confidence_level)
    return diff, low, high, p


def _baseline_year(
    instrument: str, choice: BaselineChoice, years: set[int], results: Sequence[IndicatorResult], wave: int
) -> tuple[int | None, NoteCode | None]:
    """The baseline wave of the instrument's scales, as the indicators resolve theirs: the year
    asked for when it has microdata; with ``auto`` the most recent earlier wave; else the one wave
    the instrument's indicators compared with (their catalogue baseline, or their fallback from a
    year without data), if just one."""
    if choice == "published":
        return None, None
    if isinstance(choice, int) and choice in years:
        return choice, None
    earlier = [y for y in years if y < wave]
    if choice is None and earlier:
        return max(earlier), None
    resolved = {
        r.baseline_year
        for r in results
        if r.instrument == instrument and r.baseline_source == "microdata" and r.baseline_year is not None
    }
    year = resolved.pop() if len(resolved) == 1 else None
    if isinstance(choice, int):
        if year is None:
            return None, note("baseline_year_without_data", year=choice)
        return year, note("baseline_year_without_data_fallback", year=choice, fallback=str(year))
    return year, None


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def evaluate_scales(
    municipality: Municipality,
    wave: int,
    responses: Mapping[tuple[str, int], WaveResponses],
    teachers: pl.DataFrame,
    results: Sequence[IndicatorResult],
    *,
    baseline: BaselineChoice,
    confidence_level: float,
    threshold: int,
    designs: dict[tuple[int, str], ClusteredDesign],
    scored_parts: Mapping[tuple[int, str], pl.DataFrame] | None = None,
) -> list[tuple[ScaleResult, list[NoteCode]]]:
    """One row per scale rule of each instrument the plan surveys that has responses in `wave`,
    with its notes (unmasked; the caller masks them with the indicators' rule)."""
    instruments: list[str] = []
    design_of: dict[str, set[str]] = {}
    for ind in municipality.indicators:
        if ind.survey is None:
            continue
        if ind.survey.instrument not in instruments:
            instruments.append(ind.survey.instrument)
        design_of.setdefault(ind.survey.instrument, set()).add(ind.survey.design)
    rows: list[tuple[ScaleResult, list[NoteCode]]] = []
    for key in instruments:
        data = responses.get((key, wave))
        if data is None or data.n == 0:
            continue
        clustered = "clustered" in design_of[key]
        years = {year for (k, year), d in responses.items() if k == key and d.n > 0}
        base_year, base_note = _baseline_year(key, baseline, years, results, wave)
        base_data = responses.get((key, base_year)) if base_year is not None else None
        for instrument, rule in scale_rules(data):
            row, notes = _scale_row(
                key,
                instrument,
                rule,
                wave,
                data,
                base_year,
                base_data,
                teachers,
                clustered=clustered,
                weighted_asked="weighted" in design_of[key],
                confidence_level=confidence_level,
                threshold=threshold,
                designs=designs,
                scored_parts=scored_parts,
            )
            rows.append((row, [base_note, *notes] if base_note is not None else notes))
    return rows


def _scale_row(
    key: str,
    instrument: Instrument,
    rule: ScaleRule,
    wave: int,
    data: WaveResponses,
    base_year: int | None,
    base_data: WaveResponses | None,
    teachers: pl.DataFrame,
    *,
    clustered: bool,
    weighted_asked: bool,
    confidence_level: float,
    threshold: int,
    designs: dict[tuple[int, str], ClusteredDesign],
    scored_parts: Mapping[tuple[int, str], pl.DataFrame] | None = None,
) -> tuple[ScaleResult, list[NoteCode]]:
    notes: list[NoteCode] = []
    if weighted_asked and not clustered:
        notes.append(note("scale_design_simple"))
    group = scale_group(
        data,
        rule.id,
        teachers,
        clustered=clustered,
        confidence_level=confidence_level,
        designs=designs,
        scored_parts=scored_parts,
    )
    base = (
        scale_group(
            base_data,
            rule.id,
            teachers,
            clustered=clustered,
            confidence_level=confidence_level,
            designs=designs,
            scored_parts=scored_parts,
        )
        if base_data is not None and base_data.n > 0
        else None
    )
    if group is None:
        notes.append(note("scale_rule_missing", rule=rule.id))
    else:
        notes.extend(group.notes)
    if base_year is not None and base_year == wave:
        notes.append(note("baseline_is_wave"))
    suppressed = group is None or is_small(group.n, threshold)
    if group is not None and suppressed:
        notes.append(note("suppressed", threshold=threshold))
    base_suppressed = base is not None and is_small(base.n, threshold)
    if base_suppressed:
        notes.append(note("baseline_suppressed", threshold=threshold))
    cur = None if (group is None or suppressed) else group.estimate
    old = None if (base is None or base_suppressed) else base.estimate

    change: tuple[float | None, float | None, float | None, float | None] = (None, None, None, None)
    welch: WelchResult | None = None
    effect: EffectSize | None = None
    if cur is not None and old is not None and group is not None and base is not None:
        change = _change(cur, old, confidence_level)
        try:
            welch = welch_t(group.scores, base.scores, confidence_level=confidence_level)
            effect = hedges_g(group.scores, base.scores, confidence_level=confidence_level)
        except ValueError as exc:
            notes.append(note("welch_undefined", reason=str(exc)))

    alpha = None if suppressed else scale_alpha(data, instrument, rule, confidence_level)
    if alpha is not None and is_small(alpha.n, threshold):
        notes.append(note("alpha_suppressed", threshold=threshold))
        alpha = None

    row = ScaleResult(
        instrument=key,
        rule=rule.id,
        name=rule.label.en,
        name_lv=rule.label.lv,
        items=len(rule.items),
        design_used=None if group is None else group.design,
        method=None if cur is None else MEAN_METHOD,
        wave=wave,
        mean=None if cur is None else cur.estimate,
        ci_low=None if cur is None else cur.ci_low,
        ci_high=None if cur is None else cur.ci_high,
        std_error=None if cur is None else cur.std_error,
        n=None if (group is None or suppressed) else group.n,
        n_blank=None if (group is None or suppressed) else group.n_blank,  # small ones: indicators.disclosure
        deff=None if cur is None else _finite(cur.deff),
        baseline_year=base_year,
        baseline_mean=None if old is None else old.estimate,
        baseline_ci_low=None if old is None else old.ci_low,
        baseline_ci_high=None if old is None else old.ci_high,
        baseline_n=None if (old is None or base is None) else base.n,
        change=change[0],
        change_ci_low=change[1],
        change_ci_high=change[2],
        change_p_value=change[3],
        change_method=CHANGE_METHOD if change[0] is not None else None,
        welch_t=None if welch is None else welch.statistic,
        welch_df=None if welch is None else welch.df,
        welch_p_value=None if welch is None else welch.p_value,
        welch_difference=None if welch is None else welch.estimate,
        welch_ci_low=None if welch is None else welch.ci_low,
        welch_ci_high=None if welch is None else welch.ci_high,
        hedges_g=None if effect is None else effect.estimate,
        hedges_g_ci_low=None if effect is None else effect.ci_low,
        hedges_g_ci_high=None if effect is None else effect.ci_high,
        alpha=None if alpha is None else alpha.estimate,
        alpha_ci_low=None if alpha is None else alpha.ci_low,
        alpha_ci_high=None if alpha is None else alpha.ci_high,
        alpha_n=None if alpha is None or alpha.estimate is None else alpha.n,
        suppressed=suppressed,
        baseline_suppressed=base_suppressed,
    )
    return row, notes
