"""The strict shape of a municipality file (``analysis/municipalities/<code>.toml``).

One file per municipality holds its plan, schools, population margins and indicator catalogue.
All structs are frozen and reject unknown fields; shares (baselines, targets) are fractions 0–1.
Cross-field rules (duplicates, years, direction vs target kind, …) live in ``loader.py``; the
JSON Schema of this format is ``analysis/catalogue.schema.json`` (``python -m pmp_surveys.catalogue``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

__all__ = [
    "Baseline",
    "Catalogue",
    "DataSource",
    "Design",
    "Direction",
    "Enrolment",
    "Indicator",
    "IndicatorKind",
    "Inference",
    "Margin",
    "MarginCell",
    "Municipality",
    "Names",
    "Plan",
    "Population",
    "School",
    "SchoolKind",
    "SourceKind",
    "SurveyMeasure",
    "Target",
    "TargetKind",
    "Tier",
    "render_json_schema",
    "target_for",
]

# Lengths match the database columns (admin_figures.indicator, schools.municipality/code/name).
Code = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=16)]
Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
MunicipalityCode = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=32)]
SchoolName = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Year = Annotated[int, msgspec.Meta(ge=1990, le=2100)]
Count = Annotated[int, msgspec.Meta(ge=0)]
Text = Annotated[str, msgspec.Meta(min_length=1)]

Tier = Literal["universal", "targeted", "tailored"]
Direction = Literal["rise", "fall"]
TargetKind = Literal["at_least", "at_most", "below", "above"]
SourceKind = Literal["survey", "administrative"]
Inference = Literal["census", "sample", "super-population"]
"""How an indicator's figures are read:

- ``census``: a complete count of the population the plan speaks about (a register such as VIIS,
  the Education Board's or a school's own records). The value *is* the population value: no
  sampling interval, the verdict is a plain comparison with the target, a change is a difference.
  The default for administrative figures.
- ``sample``: the figures are a sample of that population (a survey imported as numerator /
  denominator, a spot check): Wilson interval, tests, and a verdict that can be "not yet known".
  The only (and default) reading of survey indicators.
- ``super-population``: a complete count, but read as one realisation of a process whose rate the
  plan wants to change (e.g. early leaving as a risk that varies year to year): inferred like a
  sample, and the methods section says so.
"""
Design = Literal["simple", "weighted", "clustered"]
IndicatorKind = Literal["indicator", "expected_result"]
SchoolKind = Literal["preschool", "basic", "secondary", "special", "other"]


class Names(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A label in Latvian (as written in the plan) and English."""

    lv: Text
    en: Text


class Plan(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    title: Names
    period_start: Year
    period_end: Year
    baseline_year: Year
    evaluation_years: list[Year]
    mid_term_year: Year | None = None
    indicator_table: Text | None = None
    """Where the indicators stand in the plan, e.g. "4.2. tabula"."""
    note: str | None = None


class Enrolment(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Students per grade as printed in the plan; keys are grade labels ("1", …, "12", "5-6y")."""

    as_of: dt.date
    by_grade: dict[str, Count]
    source: str | None = None

    @property
    def total(self) -> int:
        return sum(self.by_grade.values())


class School(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    code: Slug
    name: SchoolName
    kind: SchoolKind | None = None
    enrolment: Enrolment | None = None
    teachers: Count | None = None
    """Teacher head-count; filled or imported by evaluators, needed for clustered teacher estimates."""
    note: str | None = None

    @property
    def students(self) -> int | None:
        return None if self.enrolment is None else self.enrolment.total


class MarginCell(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    levels: list[Text]
    population: Count


class Margin(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One population margin, e.g. variables ["age_band", "sex"] with one cell per level combination."""

    variables: list[Text]
    cells: list[MarginCell] = []


class Population(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    source: str | None = None
    year: Year | None = None
    margins: list[Margin] = []
    note: str | None = None


class Baseline(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Either ``value`` + ``year`` (published figure), or ``to_be_set`` (first wave collected by us)."""

    value: float | None = None
    year: Year | None = None
    to_be_set: Year | None = None
    microdata: bool = False
    n: Annotated[int, msgspec.Meta(gt=0)] | None = None
    source: str | None = None
    plan_text: str | None = None
    note: str | None = None


class Target(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    year: Year
    kind: TargetKind
    value: float
    plan_text: str | None = None
    """The target as printed, e.g. "< 1%"."""

    def is_met_by(self, share: float) -> bool:
        """Point check only; uncertainty-aware verdicts belong to the analysis module."""
        if self.kind == "at_least":
            return share >= self.value
        if self.kind == "at_most":
            return share <= self.value
        if self.kind == "below":
            return share < self.value
        return share > self.value


class DataSource(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    kind: SourceKind
    plan_text: Text
    """The plan's "Datu avots" cell, e.g. "VIIS", "Izglītības pārvalde", "Aptauja"."""
    en: str | None = None
    inference: Inference | None = None
    """See :data:`Inference`; unset means ``census`` for administrative and ``sample`` for survey
    sources (a survey source cannot be ``census``)."""


class SurveyMeasure(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    instrument: Slug
    rule: Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]*$")]
    design: Design = "simple"
    """``weighted``: weighted to the municipality's population margins if any, else simple.
    ``clustered``: respondents clustered in schools, with the schools' teacher head-counts."""


class Indicator(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    code: Code
    number: str | None = None
    """Row number in the plan's table ("1", "6 psk.", …)."""
    kind: IndicatorKind = "indicator"
    names: Names
    tier: Tier | None = None
    direction: Direction
    unit: Literal["percent"] = "percent"
    baseline: Baseline | None = None
    targets: list[Target] = []
    source: DataSource
    survey: SurveyMeasure | None = None
    note: str | None = None

    def target_for(self, year: int) -> Target | None:
        return target_for(self, year)

    @property
    def is_survey(self) -> bool:
        return self.source.kind == "survey"

    @property
    def inference(self) -> Inference:
        """How the figures are read (:data:`Inference`), with the source kind's default."""
        if self.source.inference is not None:
            return self.source.inference
        return "sample" if self.is_survey else "census"


class Municipality(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    code: MunicipalityCode
    names: Names
    plan: Plan
    suppression_threshold: Annotated[int, msgspec.Meta(ge=1)] = 5
    schools_note: str | None = None
    schools: list[School] = []
    population: Population | None = None
    indicators: list[Indicator] = []

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        known = ", ".join(i.code for i in self.indicators)
        raise KeyError(f"municipality {self.code!r} has no indicator {code!r} (known: {known})")

    def school(self, code: str) -> School:
        for school in self.schools:
            if school.code == code:
                return school
        raise KeyError(f"municipality {self.code!r} has no school {code!r}")

    def has_school(self, code: str) -> bool:
        return any(s.code == code for s in self.schools)

    def effective_design(self, indicator: Indicator) -> Design | None:
        """The design the estimate can actually use: ``weighted`` without margins falls back to
        ``simple``; ``clustered`` without any school head-count falls back to ``simple``."""
        if indicator.survey is None:
            return None
        design = indicator.survey.design
        if design == "weighted" and (self.population is None or not self.population.margins):
            return "simple"
        if design == "clustered" and not any(s.teachers for s in self.schools):
            return "simple"
        return design


class Catalogue(msgspec.Struct, frozen=True, kw_only=True):
    """Every loaded municipality by code; built by :func:`pmp_surveys.catalogue.load_catalogue`."""

    municipalities: dict[str, Municipality]

    def municipality(self, code: str) -> Municipality:
        try:
            return self.municipalities[code]
        except KeyError:
            known = ", ".join(sorted(self.municipalities))
            raise KeyError(f"no municipality {code!r} in the catalogue (known: {known})") from None

    def suppression_thresholds(self) -> dict[str, int]:
        """municipality code → the group size under which no figure may leave the system."""
        return {code: m.suppression_threshold for code, m in self.municipalities.items()}

    def indicators_for(self, municipality_code: str) -> list[Indicator]:
        return list(self.municipality(municipality_code).indicators)

    def indicator(self, municipality_code: str, indicator_code: str) -> Indicator:
        return self.municipality(municipality_code).indicator(indicator_code)

    def target_for(self, municipality_code: str, indicator_code: str, year: int) -> Target | None:
        """See :func:`target_for` (exact year, else the latest target due, else the next one)."""
        return target_for(self.indicator(municipality_code, indicator_code), year)


def target_for(indicator: Indicator, year: int) -> Target | None:
    """The target a value measured in ``year`` is judged against.

    The target of that exact year if there is one; else the latest target already due (a 2026
    value in Bauska, whose plan sets 2025 and 2028, answers "was the 2025 target reached?" —
    judging it against 2028 would call a target "not achieved" before it is due); else, before
    the first target year, the next target (an interim look). ``None`` without targets.
    """
    targets = sorted(indicator.targets, key=lambda t: t.year)
    exact = [t for t in targets if t.year == year]
    if exact:
        return exact[0]
    due = [t for t in targets if t.year < year]
    if due:
        return due[-1]
    return targets[0] if targets else None


def render_json_schema() -> str:
    """The JSON Schema of a municipality file, as committed in ``analysis/catalogue.schema.json``."""
    schema = msgspec.json.schema(Municipality)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "pmp-surveys municipality file (analysis/municipalities/<code>.toml)"
    schema["$comment"] = "Generated by `python -m pmp_surveys.catalogue`; do not edit by hand."
    return msgspec.json.format(msgspec.json.encode(schema, order="sorted"), indent=2).decode() + "\n"
