"""Evaluate every indicator of a municipality's catalogue for one wave (pure: polars in, structs out).

For each indicator:

1. **Value** — survey indicators score the catalogue's rule on each instrument version's responses
   (:mod:`.scoring`) and estimate with the catalogue's design (:mod:`.estimates`); administrative
   indicators take the imported figures (numerator / denominator; school rows are summed when the
   municipality has no whole-municipality row for the year). By default they are a complete count
   (``census``): the value with no sampling interval, a plain verdict and a plain difference; the
   catalogue can mark them as a ``sample`` or ask for ``super-population`` inference (Wilson
   interval and score tests), see :data:`pmp_surveys.catalogue.schema.Inference`.
2. **Baseline and change** — the baseline is resolved per indicator (:func:`resolve_baseline`):
   microdata of a baseline wave (or figures of a baseline year) give a *two-sample* comparison —
   Newcombe's hybrid score interval with the pooled score test for two binomial groups, a z
   difference of two independent design-based estimates otherwise; a published baseline without
   microdata gives a comparison *against the published value* p0, treated as a known constant —
   the one-sample score test (Wilson interval shifted by p0) or a design z test.
3. **Target verdict** — the target for the wave (:func:`pmp_surveys.catalogue.target_for`) judged
   with the estimate's interval (:func:`pmp_surveys.analysis.verdicts.target_verdict`).
4. **Across the set** — Holm and Benjamini–Hochberg adjusted p-values of the changes and of the
   verdicts (:func:`pmp_surveys.analysis.multiplicity.adjust_p_values`).
5. **Suppression** — a group under the municipality's threshold gives no figure at all.
6. **Scale scores** — every scale rule of the instruments surveyed (:mod:`.scales`): mean,
   baseline, change, Welch's t, Hedges' g and Cronbach's alpha (``Evaluation.scales``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

import msgspec
import polars as pl

from pmp_surveys.analysis.multiplicity import adjust_p_values
from pmp_surveys.analysis.results import Estimate
from pmp_surveys.analysis.suppression import is_small
from pmp_surveys.analysis.verdicts import Target as VerdictTarget
from pmp_surveys.analysis.verdicts import target_verdict
from pmp_surveys.catalogue.schema import Indicator, Municipality, Target, target_for
from pmp_surveys.indicators.baseline import (
    BaselineChoice,
    Change,
    ResolvedBaseline,
    census_change,
    change_against_published,
    resolve_baseline,
    two_sample_change,
)
from pmp_surveys.indicators.disclosure import protect_counts
from pmp_surveys.indicators.estimates import (
    CENSUS_METHOD,
    ClusteredDesign,
    GroupEstimate,
    clustered_design,
    estimate_census,
    estimate_clustered_rules,
    estimate_from_counts,
    estimate_simple,
    estimate_weighted,
    margin_frame,
)
from pmp_surveys.indicators.extract import VersionPart, WaveResponses
from pmp_surveys.indicators.notes import english, mask, note
from pmp_surveys.indicators.scales import evaluate_scales
from pmp_surveys.indicators.schemas import (
    FORMAT_VERSION,
    Comparison,
    Evaluation,
    IndicatorResult,
    NoteCode,
    VerdictLabel,
)
from pmp_surveys.indicators.scoring import score_rules
from pmp_surveys.instruments.definition import SingleQuestion

__all__ = [
    "METHODS",
    "BaselineChoice",
    "EvaluationInputs",
    "ResolvedBaseline",
    "evaluate",
    "needed_waves",
    "resolve_baseline",
]

METHODS: dict[str, str] = {
    "simple": "Wilson score interval (Wilson 1927; Newcombe 1998a method 3)",
    "clustered": "design-based: schools as strata, teacher head-counts as fpc, weights N_h/n_h; "
    "Taylor linearisation, Korn-Graubard interval (R survey: svyciprop method='beta')",
    "weighted": "raked to population margins (Deming-Stephan), calibration residual variance, Korn-Graubard interval",
    "census": "administrative figures read as a complete count (the catalogue's default): the register "
    "counts every student, teacher or school the plan speaks about, so the figure is the population value "
    "itself, with no sampling interval; the verdict compares it with the target (achieved / not achieved) "
    "and the change against the baseline is the plain difference, without a test; school rows summed",
    "administrative": "administrative figures the catalogue marks as a sample of the population "
    "(e.g. an imported survey): numerator/denominator with a Wilson interval and score tests; school rows summed",
    "super-population": "complete counts the catalogue asks to read as one realisation of a process whose rate "
    "the plan aims to change (super-population inference): Wilson interval and score tests; school rows summed",
    "two-sample": "Newcombe hybrid score interval (1998b method 10) with the pooled score test; "
    "design-based groups: z difference of independent estimates",
    "against-published-value": "one-sample score test vs p0 (variance at p0), Wilson interval minus p0; "
    "design-based groups: z test with the design standard error",
    "verdict": "target judged on the two-sided interval; one-sided p-value of H0 'target not met'",
    "multiplicity": "Holm (1979) and Benjamini-Hochberg (1995) across the indicators with a p-value",
    "suppression": "no figure for a group under the municipality's threshold k, nor one recomputable from the "
    "other counts (secondary suppression, LP-audited); the first k*floor(N/k) responses of a wave are used",
    "scales": "scale scores: design-based mean (same design as the instrument's indicators) with a t interval; "
    "Cronbach's alpha with Feldt's interval",
    "scale-change": "scale scores before/after: z difference of independent design-based means; "
    "Welch's t (unweighted) and Hedges' g with J correction (Hedges & Olkin 1985)",
}


@dataclass(frozen=True)
class EvaluationInputs:
    """Everything the evaluation reads.

    - ``responses``: by (instrument key, wave year); a missing key means no responses.
    - ``teachers``: ``school_id`` (Int32) and ``teachers`` (head-count, nullable) of the
      municipality's schools (for clustered designs).
    - ``figures``: administrative figures: ``indicator``, ``year``, ``school_id`` (null = whole
      municipality), ``numerator``, ``denominator``.
    """

    responses: Mapping[tuple[str, int], WaveResponses] = field(default_factory=dict)
    teachers: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema={"school_id": pl.Int32, "teachers": pl.Int64})
    )
    figures: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={
                "indicator": pl.String,
                "year": pl.Int64,
                "school_id": pl.Int32,
                "numerator": pl.Int64,
                "denominator": pl.Int64,
            }
        )
    )


def _survey_years(inputs: EvaluationInputs, instrument: str) -> set[int]:
    return {wave for (key, wave), data in inputs.responses.items() if key == instrument and data.n > 0}


def _figure_years(inputs: EvaluationInputs, code: str) -> set[int]:
    years = inputs.figures.filter(pl.col("indicator") == code).get_column("year").unique().to_list()
    return {int(y) for y in years}


def needed_waves(
    municipality: Municipality,
    wave: int,
    choice: BaselineChoice,
    available: Mapping[str, Collection[int]] | None = None,
) -> set[tuple[str, int]]:
    """(instrument, wave) pairs whose responses an evaluation may read: the wave itself and every
    baseline wave the indicators could resolve to. `available` (instrument → waves with responses)
    adds the most recent earlier wave of each instrument, which the ``auto`` rule (and a year
    without data, falling back to it) compares with."""
    needed: set[tuple[str, int]] = set()
    for ind in municipality.indicators:
        if ind.survey is None:
            continue
        key = ind.survey.instrument
        needed.add((key, wave))
        if isinstance(choice, int):
            needed.add((key, choice))
        if choice != "published" and ind.baseline is not None:
            year = ind.baseline.to_be_set or ind.baseline.year
            if year is not None:
                needed.add((key, year))
        earlier = [y for y in (available or {}).get(key, ()) if y < wave]
        if choice != "published" and earlier:
            needed.add((key, max(earlier)))
    return needed


# -- one group ---------------------------------------------------------------------------------------


def _value_of(municipality: Municipality, data: WaveResponses) -> dict[str, dict[int, str]]:
    """Stored code → option value of every single-choice question named by a margin."""
    variables = {v for m in (municipality.population.margins if municipality.population else []) for v in m.variables}
    mapping: dict[str, dict[int, str]] = {}
    for part in data.parts:
        for q in part.instrument.questions:
            if isinstance(q, SingleQuestion) and q.id in variables:
                mapping.setdefault(q.id, {}).update({o.code: o.value for o in q.options})
    return mapping


_ScoreCache = dict[tuple[int, str], pl.DataFrame]
_EstimateCache = dict[tuple[tuple[int, str], str], GroupEstimate]


def _scored(part: VersionPart, rule: str, municipality: Municipality, cache: _ScoreCache) -> pl.DataFrame:
    """The part scored by `rule`; every rule the catalogue uses on this instrument is scored in the
    same pass the first time one is asked for."""
    if (id(part), rule) not in cache:
        key = part.instrument.key
        have = {r.id for r in part.instrument.scoring}
        rules = {i.survey.rule for i in municipality.indicators if i.survey and i.survey.instrument == key}
        for rule_id, frame in score_rules(part.frame, part.instrument, (rules & have) | {rule}).items():
            cache[(id(part), rule_id)] = frame
    return cache[(id(part), rule)]


def _survey_group(
    municipality: Municipality,
    indicator: Indicator,
    data: WaveResponses | None,
    inputs: EvaluationInputs,
    confidence_level: float,
    cache: _ScoreCache,
    designs: dict[tuple[int, str], ClusteredDesign],
    estimates: _EstimateCache,
) -> GroupEstimate | None:
    assert indicator.survey is not None
    if data is None or data.n == 0:
        return None
    rule = indicator.survey.rule
    parts = [p for p in data.parts if any(r.id == rule for r in p.instrument.scoring)]
    scored_parts = [_scored(p, rule, municipality, cache) for p in parts]
    if not scored_parts:
        return GroupEstimate(None, data.n, 0, 0, notes=(note("rule_missing", rule=rule),))
    scored = pl.concat(scored_parts, how="vertical_relaxed")
    design = indicator.survey.design
    if design == "clustered":
        key = (id(data), "clustered:" + ",".join(str(id(p)) for p in parts))  # same rows, same design
        if key not in designs:
            designs[key] = clustered_design(scored.get_column("school_id"), inputs.teachers)
        if (key, rule) not in estimates:
            # Every clustered rule of the instrument scored on the same rows: estimated together.
            same_rows = {
                i.survey.rule
                for i in municipality.indicators
                if i.survey is not None
                and i.survey.instrument == indicator.survey.instrument
                and i.survey.design == "clustered"
                and [p for p in data.parts if any(r.id == i.survey.rule for r in p.instrument.scoring)] == parts
            } | {rule}
            frames = {
                r: scored
                if r == rule
                else pl.concat([_scored(p, r, municipality, cache) for p in parts], how="vertical_relaxed")
                for r in sorted(same_rows)
            }
            together = estimate_clustered_rules(frames, designs[key], confidence_level=confidence_level)
            estimates.update({(key, r): found for r, found in together.items()})
        return estimates[(key, rule)]
    margins = municipality.population.margins if municipality.population is not None else []
    if design == "weighted" and not margins:
        return estimate_simple(scored, confidence_level=confidence_level, notes=[note("weighted_without_margins")])
    if design == "weighted":
        value_of = _value_of(municipality, data)
        missing = [v for m in margins for v in m.variables if v not in value_of]
        if missing:
            why = note("weighted_margins_not_single", variables=str(missing))
            return estimate_simple(scored, confidence_level=confidence_level, notes=[why])
        cells = pl.concat([margin_frame(p.frame, margins, value_of) for p in parts], how="vertical_relaxed")
        return estimate_weighted(scored, cells, margins, confidence_level=confidence_level)
    return estimate_simple(scored, confidence_level=confidence_level)


def _figures_group(
    inputs: EvaluationInputs, indicator: Indicator, year: int, confidence_level: float
) -> GroupEstimate | None:
    code = indicator.code
    rows = inputs.figures.filter((pl.col("indicator") == code) & (pl.col("year") == year))
    if rows.height == 0:
        return None
    whole = rows.filter(pl.col("school_id").is_null())
    notes: list[NoteCode] = []
    if whole.height:
        if whole.height < rows.height:
            notes.append(note("figures_whole_municipality"))
        x, n = int(whole.get_column("numerator")[0]), int(whole.get_column("denominator")[0])
    else:
        x, n = int(rows.get_column("numerator").sum()), int(rows.get_column("denominator").sum())
        notes.append(note("figures_school_sum", rows=rows.height))
    if indicator.inference == "census":
        return estimate_census(x, n, confidence_level=confidence_level, notes=notes)
    estimated = estimate_from_counts(x, n, confidence_level=confidence_level, notes=notes)
    if indicator.inference == "super-population":
        return replace(estimated, design="super-population")
    return estimated


def _census_verdict(estimate: Estimate | None, target: Target) -> tuple[VerdictLabel, str | None]:
    """A complete count against its target: the figure is the population value, so the verdict is
    a plain comparison (achieved / not achieved), with no test and no "not yet known"."""
    if estimate is None or estimate.estimate is None:
        return "no_data", None
    return ("achieved" if target.is_met_by(estimate.estimate) else "not_achieved"), CENSUS_METHOD


_RESPONSES_IN_NOTE = re.compile(r"\b(\d+) (response\(s\))")


def _safe_note(note: str, threshold: int) -> str:
    """Counts of respondents in a note obey the suppression threshold too."""

    def replace(match: re.Match[str]) -> str:
        count = int(match[1])
        return f"fewer than {threshold} {match[2]}" if 0 < count < threshold else match[0]

    return _RESPONSES_IN_NOTE.sub(replace, note)


def note_fields(notes: list[NoteCode], threshold: int) -> tuple[tuple[str, ...], tuple[NoteCode, ...]]:
    """``notes`` (English) and ``note_codes`` of a result, counts of respondents masked in both."""
    codes = tuple(mask(n, threshold) for n in notes)
    return tuple(_safe_note(english(c), threshold) for c in codes), codes


def _evaluate_indicator(
    municipality: Municipality,
    indicator: Indicator,
    wave: int,
    choice: BaselineChoice,
    inputs: EvaluationInputs,
    confidence_level: float,
    threshold: int,
    cache: _ScoreCache,
    designs: dict[tuple[int, str], ClusteredDesign],
    estimates: _EstimateCache,
) -> IndicatorResult:
    notes: list[NoteCode] = []
    if indicator.survey is not None:
        key = indicator.survey.instrument
        years = _survey_years(inputs, key)

        def group(year: int) -> GroupEstimate | None:
            data = inputs.responses.get((key, year))
            return _survey_group(municipality, indicator, data, inputs, confidence_level, cache, designs, estimates)

    else:
        years = _figure_years(inputs, indicator.code)

        def group(year: int) -> GroupEstimate | None:
            return _figures_group(inputs, indicator, year, confidence_level)

    current = group(wave)
    baseline = resolve_baseline(indicator, choice, has_data=years, wave=wave)
    if baseline.note:
        notes.append(baseline.note)
    if baseline.source in ("microdata", "figures") and baseline.year == wave:
        notes.append(note("baseline_is_wave"))
    base_group = group(baseline.year) if baseline.source in ("microdata", "figures") and baseline.year else None

    no_current = current is None or current.n_total == 0
    suppressed = not no_current and current is not None and is_small(current.n, threshold)
    if current is not None:
        notes.extend(current.notes)
    if no_current:
        notes.append(note("no_responses" if indicator.is_survey else "no_figures", wave=wave))
    if suppressed:
        notes.append(note("suppressed", threshold=threshold))
    estimate = None if (current is None or suppressed) else current.estimate

    base_estimate = None if base_group is None else base_group.estimate
    base_suppressed = base_group is not None and is_small(base_group.n, threshold)
    if base_suppressed:
        notes.append(note("baseline_suppressed", threshold=threshold))
        base_estimate = None

    census = indicator.inference == "census"
    comparison: Comparison = "none"
    change = Change()
    if baseline.source in ("microdata", "figures"):
        comparison = "two-sample"
        if estimate is not None and estimate.estimate is not None and base_estimate is not None and base_group:
            assert current is not None
            if census and base_estimate.estimate is not None:
                change = census_change(current, base_estimate.estimate)
            elif not census:
                change = two_sample_change(current, base_group, confidence_level)
    elif baseline.source == "published" and baseline.value is not None:
        comparison = "against-published-value"
        if estimate is not None and estimate.estimate is not None:
            assert current is not None
            if census:
                change = census_change(current, baseline.value)
            else:
                change = change_against_published(current, baseline.value)

    target = target_for(indicator, wave)
    if target is not None and target.year < wave:
        notes.append(note("target_earlier", target_year=target.year, wave=wave))
    elif target is not None and target.year > wave:
        notes.append(note("target_interim", target_year=target.year, wave=wave))
    verdict_label: VerdictLabel = "no_target"
    verdict_p: float | None = None
    verdict_test: str | None = None
    if target is not None:
        if suppressed:
            verdict_label = "suppressed"
        elif census:
            verdict_label, verdict_test = _census_verdict(estimate, target)
        else:
            verdict = target_verdict(
                estimate, VerdictTarget(value=target.value, kind=target.kind), direction=indicator.direction
            )
            verdict_label, verdict_p, verdict_test = verdict.verdict, verdict.p_value, verdict.test_method
    elif suppressed:
        verdict_label = "suppressed"
    elif estimate is None or estimate.estimate is None:
        verdict_label = "no_data"

    survey = indicator.survey
    show_counts = current is not None and not suppressed
    note_texts, note_codes = note_fields(notes, threshold)
    return IndicatorResult(
        code=indicator.code,
        number=indicator.number,
        name=indicator.names.en,
        name_lv=indicator.names.lv,
        kind=indicator.kind,
        source=indicator.source.kind,
        direction=indicator.direction,
        tier=indicator.tier,
        instrument=survey.instrument if survey else None,
        rule=survey.rule if survey else None,
        design=survey.design if survey else None,
        design_used=current.design if current is not None else None,
        inference=indicator.inference,
        method=None if estimate is None else estimate.method,
        wave=wave,
        value=None if estimate is None else estimate.estimate,
        ci_low=None if estimate is None else estimate.ci_low,
        ci_high=None if estimate is None else estimate.ci_high,
        std_error=None if estimate is None else estimate.std_error,
        n=(current.n if show_counts and current is not None else None),
        # raw here; evaluate() withholds small counts and their complements (indicators.disclosure)
        n_excluded=current.n_excluded if show_counts and current else None,
        n_blank=current.n_blank if show_counts and current else None,
        n_set_aside=(current.n_excluded + current.n_blank if show_counts and current else None),
        deff=None if (current is None or suppressed) else current.deff,
        deff_convention=None if (current is None or suppressed or current.deff is None) else "srs-without-replacement",
        plan_baseline_value=None if indicator.baseline is None else indicator.baseline.value,
        plan_baseline_year=None
        if indicator.baseline is None
        else (indicator.baseline.year or indicator.baseline.to_be_set),
        plan_baseline_text=None if indicator.baseline is None else indicator.baseline.plan_text,
        baseline_year=baseline.year,
        baseline_source=baseline.source,
        baseline_value=baseline.value
        if baseline.source == "published"
        else (None if base_estimate is None else base_estimate.estimate),
        baseline_ci_low=None if base_estimate is None else base_estimate.ci_low,
        baseline_ci_high=None if base_estimate is None else base_estimate.ci_high,
        baseline_n=None if (base_estimate is None or base_group is None) else base_group.n,
        comparison=comparison,
        change=change.change,
        change_ci_low=change.ci_low,
        change_ci_high=change.ci_high,
        change_p_value=change.p_value,
        change_method=change.method,
        target_year=None if target is None else target.year,
        target_kind=None if target is None else target.kind,
        target_value=None if target is None else target.value,
        target_text=None if target is None else target.plan_text,
        verdict=verdict_label,
        verdict_p_value=verdict_p,
        verdict_test=verdict_test,
        suppressed=suppressed,
        baseline_suppressed=base_suppressed,
        notes=note_texts,
        note_codes=note_codes,
    )


def evaluate(
    municipality: Municipality,
    wave: int,
    inputs: EvaluationInputs,
    *,
    baseline: BaselineChoice = None,
    confidence_level: float = 0.95,
    suppression_threshold: int | None = None,
    generated_at: dt.datetime | None = None,
) -> Evaluation:
    """Evaluate every indicator of `municipality` for `wave` (see the module notes).

    `baseline`: None (``auto``: the most recent earlier wave with data, else the plan's baseline),
    "plan", "published", or a wave year (see :data:`~pmp_surveys.indicators.baseline.BaselineChoice`).
    `suppression_threshold` defaults to the municipality's (5 unless its file says otherwise); it
    can only be raised, never lowered below the municipality's.
    """
    threshold = max(municipality.suppression_threshold, suppression_threshold or 0)
    cache: _ScoreCache = {}
    designs: dict[tuple[int, str], ClusteredDesign] = {}
    estimates: _EstimateCache = {}
    results = [
        _evaluate_indicator(
            municipality, ind, wave, baseline, inputs, confidence_level, threshold, cache, designs, estimates
        )
        for ind in municipality.indicators
    ]
    change_holm = adjust_p_values([r.change_p_value for r in results], method="holm")
    change_bh = adjust_p_values([r.change_p_value for r in results], method="benjamini-hochberg")
    verdict_holm = adjust_p_values([r.verdict_p_value for r in results], method="holm")
    verdict_bh = adjust_p_values([r.verdict_p_value for r in results], method="benjamini-hochberg")
    adjusted = tuple(
        msgspec.structs.replace(r, change_p_holm=ch, change_p_bh=cb, verdict_p_holm=vh, verdict_p_bh=vb)
        for r, ch, cb, vh, vb in zip(results, change_holm, change_bh, verdict_holm, verdict_bh, strict=True)
    )
    scales = tuple(
        msgspec.structs.replace(row, notes=texts, note_codes=codes)
        for row, notes in evaluate_scales(
            municipality,
            wave,
            inputs.responses,
            inputs.teachers,
            adjusted,
            baseline=baseline,
            confidence_level=confidence_level,
            threshold=threshold,
            designs=designs,
            scored_parts=cache,
        )
        for texts, codes in [note_fields(notes, threshold)]
    )
    totals = {key: data.n for (key, year), data in inputs.responses.items() if year == wave}
    adjusted, scales = protect_counts(adjusted, scales, totals, threshold)
    used = {r.design_used for r in adjusted} | {r.comparison for r in adjusted if r.inference != "census"}
    used |= {"verdict", "multiplicity", "suppression"}
    if any(s.mean is not None for s in scales):
        used.add("scales")
    if any(s.welch_t is not None for s in scales):
        used.add("scale-change")
    return Evaluation(
        format_version=FORMAT_VERSION,
        municipality=municipality.code,
        municipality_name=municipality.names.en,
        wave=wave,
        baseline=baseline,
        confidence_level=confidence_level,
        suppression_threshold=threshold,
        methods={name: text for name, text in METHODS.items() if name in used},
        generated_at=generated_at or dt.datetime.now(dt.UTC),
        indicators=adjusted,
        scales=scales,
    )
