"""Survey indicators by subgroup (programme, district, teachers' role, experience and school type), pure.

For every survey indicator of the wave and every grouping question its instrument has
(:data:`GROUPINGS`): the share in each group with its interval, the group size, and a
design-based test of whether the groups differ (Rao–Scott corrected χ², second order, as R's
``svychisq``: :func:`pmp_surveys.analysis.rao_scott.rao_scott_test`).

- Design: indicators with the ``clustered`` design use schools as strata with the teacher
  head-counts as fpc (as the indicators; the design is built on the respondents with an answer
  and a group) and a Korn–Graubard interval per group (domain estimate); the others a Wilson
  interval and the test under simple random sampling.
- School type: respondents who answered for a school (teachers) are grouped by the type the
  catalogue's schools register gives that school (``School.kind``: preschool, basic, secondary,
  special, other), when the caller passes ``school_kinds`` (school id → kind); schools without a
  type in the register are left out of the groups (and counted as the unpublished remainder).
- Suppression: a group under the municipality's threshold shows no figure; the test compares the
  groups that are shown (at least two), so no hidden group's figure can be recovered from it.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec
import polars as pl

from pmp_surveys.analysis.design import SurveyDesign, survey_proportion
from pmp_surveys.analysis.proportions import proportion_ci
from pmp_surveys.analysis.rao_scott import rao_scott_test
from pmp_surveys.analysis.results import Estimate
from pmp_surveys.analysis.sdc import LinearTable, protect
from pmp_surveys.analysis.suppression import is_small
from pmp_surveys.catalogue.schema import Indicator, Municipality
from pmp_surveys.indicators.estimates import DESIGN_INTERVAL, clustered_design
from pmp_surveys.indicators.evaluate import EvaluationInputs
from pmp_surveys.indicators.scoring import score_rule
from pmp_surveys.instruments.definition import SingleQuestion

__all__ = ["GROUPINGS", "SCHOOL_KINDS", "SCHOOL_TYPE", "SubgroupRow", "SubgroupTable", "subgroup_tables"]

#: instrument key → the single-choice questions evaluators break indicators down by.
GROUPINGS: dict[str, tuple[str, ...]] = {
    "parent-satisfaction": ("programme",),
    "resident-perception": ("district",),
    "teacher-self-efficacy": ("role", "experience"),
}

#: The grouping id of the school type (not a question: the schools register's ``kind``).
SCHOOL_TYPE = "school_type"
#: School kinds of the catalogue (:data:`pmp_surveys.catalogue.schema.SchoolKind`) in a fixed order,
#: with their Latvian and English names (Latvian names as in the Education Law's types of institution).
SCHOOL_KINDS: tuple[tuple[str, str, str], ...] = (
    ("preschool", "pirmsskolas izglītības iestāde", "preschool"),
    ("basic", "pamatskola", "basic school"),
    ("secondary", "vidusskola", "secondary school"),
    ("special", "speciālā izglītības iestāde", "special school"),
    ("other", "cita izglītības iestāde", "other school"),
)
_SCHOOL_TYPE_TITLE = ("Skolas veids", "School type")
#: Instruments whose respondents answer for a school (the teacher survey's school link).
SCHOOL_INSTRUMENTS: frozenset[str] = frozenset({"teacher-self-efficacy"})


class _Grouping(msgspec.Struct, frozen=True):
    id: str
    lv: str
    en: str
    labels: dict[int, tuple[str, str]]


def _question_grouping(question: SingleQuestion) -> _Grouping:
    return _Grouping(
        question.id, question.label.lv, question.label.en, {o.code: (o.label.lv, o.label.en) for o in question.options}
    )


_SCHOOL_GROUPING = _Grouping(
    SCHOOL_TYPE, *_SCHOOL_TYPE_TITLE, {i + 1: (lv, en) for i, (_, lv, en) in enumerate(SCHOOL_KINDS)}
)


class SubgroupRow(msgspec.Struct, frozen=True, kw_only=True):
    label_lv: str
    label_en: str
    n: int | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool


class SubgroupTable(msgspec.Struct, frozen=True, kw_only=True):
    """One indicator broken down by one grouping question, with the test of difference."""

    indicator: str
    instrument: str
    grouping: str
    grouping_lv: str
    grouping_en: str
    design: str
    rows: tuple[SubgroupRow, ...]
    test_statistic: float | None = None
    test_df_num: float | None = None
    test_df_den: float | None = None
    test_p_value: float | None = None
    groups_tested: int = 0


def _school_group(kinds: Mapping[int, str]) -> pl.Expr:
    codes = {kind: i + 1 for i, (kind, _, _) in enumerate(SCHOOL_KINDS)}
    mapping = {school: codes[kind] for school, kind in kinds.items() if kind in codes}
    return pl.col("school_id").replace_strict(mapping, default=None, return_dtype=pl.Int64)


def _frame(
    inputs: EvaluationInputs,
    indicator: Indicator,
    wave: int,
    grouping: str,
    school_kinds: Mapping[int, str] | None = None,
) -> pl.DataFrame | None:
    assert indicator.survey is not None
    data = inputs.responses.get((indicator.survey.instrument, wave))
    if data is None:
        return None
    parts = []
    for part in data.parts:
        by_school = grouping == SCHOOL_TYPE and school_kinds is not None
        if (not by_school and grouping not in part.frame.columns) or not any(
            r.id == indicator.survey.rule for r in part.instrument.scoring
        ):
            continue
        scored = score_rule(part.frame, part.instrument, indicator.survey.rule)
        if "y" not in scored.columns:
            return None  # a scale rule: means, not shares
        if by_school:
            assert school_kinds is not None
            group = scored.select(_school_group(school_kinds).alias("group")).get_column("group")
        else:
            group = part.frame.get_column(grouping).cast(pl.Int64).alias("group")
        parts.append(scored.select("school_id", "y").with_columns(group.alias("group")))
    if not parts:
        return None
    # Rows with a value; those without a group stay in, as the unpublished remainder that the
    # secondary suppression of `_withheld` must account for.
    return pl.concat(parts, how="vertical_relaxed").filter(pl.col("y").is_not_null())


def _withheld(counts: pl.DataFrame, total: int, threshold: int) -> set[int]:
    """Group codes whose n and share are withheld: primary suppression (0 < n < k) and secondary
    suppression (:func:`pmp_surveys.analysis.sdc.protect`) against the indicator's published n,
    which is the sum of the groups and of the respondents without a group (never printed, so an
    unknown cell of the audit). Without it one small group's n would be the total minus the rest."""
    if total < max(threshold, 1):  # the indicator itself is withheld: so is every group of it
        return {int(code) for code in counts.get_column("group")}
    table = LinearTable()
    cells = {int(code): table.cell(int(n), f"group {code}") for code, n, _x in counts.iter_rows()}
    whole = table.cell(total, "indicator n")
    rest = total - sum(table.values[c] for c in cells.values())
    forced: list[int] = []
    parts = list(cells.values())
    if rest > 0:
        parts.append(table.cell(rest, "no group"))
        forced.append(parts[-1])
    table.relate(whole, parts)
    hidden = protect(table, max(threshold, 1), forced=forced, frozen=[whole])
    return {code for code, cell in cells.items() if cell in hidden}


def _one(
    municipality: Municipality,
    indicator: Indicator,
    question: _Grouping,
    frame: pl.DataFrame,
    inputs: EvaluationInputs,
    threshold: int,
    confidence_level: float,
) -> SubgroupTable:
    assert indicator.survey is not None
    labels = question.labels
    design_frame = None
    if indicator.survey.design == "clustered":
        built = clustered_design(frame.get_column("school_id"), inputs.teachers)
        design_frame = None if built.frame is None else frame.hstack(built.frame)
    rows: list[SubgroupRow] = []
    shown: list[int] = []
    total = frame.height
    frame = frame.filter(pl.col("group").is_not_null())
    counts = frame.group_by("group").agg(pl.len().alias("n"), pl.col("y").sum().alias("x")).sort("group")
    withheld = _withheld(counts, total, threshold)
    for code, n, x in counts.iter_rows():
        lv, en = labels.get(int(code), (str(code), str(code)))
        if is_small(int(n), threshold) or int(code) in withheld:
            rows.append(
                SubgroupRow(label_lv=lv, label_en=en, n=None, value=None, ci_low=None, ci_high=None, suppressed=True)
            )
            continue
        shown.append(int(code))
        est: Estimate
        if design_frame is not None:
            est = survey_proportion(
                design_frame,
                "y",
                SurveyDesign(strata="stratum", fpc="fpc", weights="weight"),
                confidence_level=confidence_level,
                method=DESIGN_INTERVAL,
                domain=pl.col("group") == code,
            )
        else:
            est = proportion_ci(int(x), int(n), confidence_level=confidence_level, method="wilson")
        rows.append(
            SubgroupRow(
                label_lv=lv,
                label_en=en,
                n=int(n),
                value=est.estimate,
                ci_low=est.ci_low,
                ci_high=est.ci_high,
                suppressed=False,
            )
        )
    table = SubgroupTable(
        indicator=indicator.code,
        instrument=indicator.survey.instrument,
        grouping=question.id,
        grouping_lv=question.lv,
        grouping_en=question.en,
        design="clustered" if design_frame is not None else "simple",
        rows=tuple(rows),
    )
    if len(shown) < 2:
        return table
    tested = (design_frame if design_frame is not None else frame).filter(pl.col("group").is_in(shown))
    if tested.get_column("y").n_unique() < 2:
        return table
    design = SurveyDesign(strata="stratum", fpc="fpc", weights="weight") if design_frame is not None else SurveyDesign()
    result = rao_scott_test(tested.with_columns(pl.col("y").cast(pl.Int8)), "y", "group", design)
    return msgspec.structs.replace(
        table,
        test_statistic=result.statistic,
        test_df_num=result.df_num,
        test_df_den=result.df_den,
        test_p_value=result.p_value,
        groups_tested=len(shown),
    )


def subgroup_tables(
    municipality: Municipality,
    wave: int,
    inputs: EvaluationInputs,
    *,
    threshold: int,
    confidence_level: float = 0.95,
    school_kinds: Mapping[int, str] | None = None,
) -> list[SubgroupTable]:
    """Every survey indicator of `wave` by every grouping question of its instrument, and — with
    `school_kinds` (school id → the register's kind) — the indicators of respondents who answer
    for a school (teachers) by school type."""
    out: list[SubgroupTable] = []
    for indicator in municipality.indicators:
        if indicator.survey is None:
            continue
        data = inputs.responses.get((indicator.survey.instrument, wave))
        if data is None or not data.parts:
            continue
        latest = max(data.parts, key=lambda p: p.version).instrument
        for grouping in GROUPINGS.get(indicator.survey.instrument, ()):
            question = next((q for q in latest.questions if q.id == grouping), None)
            if not isinstance(question, SingleQuestion):
                continue
            frame = _frame(inputs, indicator, wave, grouping)
            if frame is None or frame.height == 0:
                continue
            out.append(
                _one(municipality, indicator, _question_grouping(question), frame, inputs, threshold, confidence_level)
            )
        if school_kinds and indicator.survey.instrument in SCHOOL_INSTRUMENTS:
            frame = _frame(inputs, indicator, wave, SCHOOL_TYPE, school_kinds)
            if frame is None or frame.height == 0 or frame.get_column("group").is_null().all():
                continue
            out.append(_one(municipality, indicator, _SCHOOL_GROUPING, frame, inputs, threshold, confidence_level))
    return out
