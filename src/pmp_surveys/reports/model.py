"""The report model: everything a report shows, gathered once, frozen, language-neutral.

:func:`pmp_surveys.reports.build.build_report` fills it from the database; the HTML, XLSX and PDF
writers only format it. Labels carry both languages (:class:`Label`); shares are fractions 0–1.
A figure of a group under the suppression threshold is never stored here: the struct holds
``suppressed=True`` and None instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

from pmp_surveys.evaldata.activities import ActivityRow
from pmp_surveys.indicators.schemas import Evaluation
from pmp_surveys.indicators.subgroups import SubgroupTable
from pmp_surveys.reports.strings import ReportLang

__all__ = [
    "AlphaRow",
    "CampaignInfo",
    "DesignUse",
    "ItemDistribution",
    "ItemNonResponse",
    "ItemQualityRow",
    "Label",
    "PathPoint",
    "Report",
    "SchoolRateRow",
    "SurveySection",
    "TrendPoint",
    "TrendSeries",
]


class Label(msgspec.Struct, frozen=True):
    lv: str
    en: str

    def get(self, lang: ReportLang) -> str:
        return self.lv if lang == "lv" else self.en


class CampaignInfo(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    slug: str
    title: str
    status: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    responses: int | None
    """None when withheld."""
    demo: bool
    #: Responses by collection mode (web, paper, tablet, phone, other).
    modes: dict[str, int] = {}
    withheld: bool = False
    """With ``responses=None``: a complement (k or more, withheld so that a small count cannot be
    recomputed, reports.disclosure); None alone: fewer than k."""


class SchoolRateRow(msgspec.Struct, frozen=True, kw_only=True):
    """Counts only (never answers): responses of the wave's campaigns and the teacher head-count."""

    code: str
    name: str
    teachers: int | None
    responses: int | None
    """None when withheld (and then the rate is None too)."""
    rate: float | None
    withheld: bool = False
    """As CampaignInfo.withheld (responses and rate are then None)."""


class AlphaRow(msgspec.Struct, frozen=True, kw_only=True):
    scale: str
    label: Label
    items: tuple[str, ...]
    n: int | None
    """Complete cases (listwise); None when suppressed."""
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool


class ItemQualityRow(msgspec.Struct, frozen=True, kw_only=True):
    """One item of a scale: item–rest r and alpha if deleted (complete cases, as AlphaRow)."""

    scale: str
    label: Label
    item: str
    reversed: bool
    #: The item's question text (the report names items by their words, not variable ids).
    item_label: Label | None = None
    item_rest_r: float | None
    alpha_if_deleted: float | None
    suppressed: bool


class DesignUse(msgspec.Struct, frozen=True, kw_only=True):
    indicator: str
    design: str | None
    design_used: str | None
    method: str | None


class ItemNonResponse(msgspec.Struct, frozen=True, kw_only=True):
    question: str
    label: Label
    kind: str
    shown: int | None
    """Respondents the question was shown to (show-if rules applied); None when suppressed."""
    blank: int | None
    dont_know: int | None
    suppressed: bool
    #: Cells withheld by cell suppression (`reports.disclosure.protect_item`): name → "primary"
    #: (fewer than k) or "withheld" (secondary); their values above are None.
    hidden: dict[str, str] = {}

    @property
    def blank_share(self) -> float | None:
        if self.shown is None or self.blank is None or self.shown == 0:
            return None
        return self.blank / self.shown


class ItemDistribution(msgspec.Struct, frozen=True, kw_only=True):
    """A rating item: share of each point 1..points (and "don't know") among those who answered."""

    question: str
    label: Label
    points: int
    point_labels: tuple[Label | None, ...]
    n: int | None
    shares: tuple[float | None, ...] | None
    dont_know: float | None
    suppressed: bool
    #: As ItemNonResponse.hidden, for "n", "dont_know" and "p1" … "pK" (shares of hidden cells are None).
    hidden: dict[str, str] = {}


class SurveySection(msgspec.Struct, frozen=True, kw_only=True):
    instrument: str
    title: Label
    wave: int
    campaigns: tuple[CampaignInfo, ...]
    responses: int | None
    """None when 0 < responses < threshold (then ``suppressed``)."""
    suppressed: bool
    """The wave has fewer responses than the threshold: no figure of its answers is shown."""
    rates: tuple[SchoolRateRow, ...] | None
    reliability: tuple[AlphaRow, ...]
    designs: tuple[DesignUse, ...]
    nonresponse: tuple[ItemNonResponse, ...]
    distributions: tuple[ItemDistribution, ...]
    item_quality: tuple[ItemQualityRow, ...] = ()


class TrendPoint(msgspec.Struct, frozen=True, kw_only=True):
    """One wave of an indicator's trend, as the evaluation of that wave publishes it (a share 0–1)."""

    year: int
    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    """None for a complete count (no sampling interval) and when suppressed."""
    n: int | None = None
    census: bool = False
    suppressed: bool = False
    """A group under the threshold in that wave: no figure at all."""


class PathPoint(msgspec.Struct, frozen=True, kw_only=True):
    """A point of the plan's target path: its printed baseline, then each target (share 0–1)."""

    year: int
    value: float
    kind: str
    """``baseline`` or the target's kind (at_least, at_most, below, above)."""


class TrendSeries(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: Label
    direction: str
    points: tuple[TrendPoint, ...]
    path: tuple[PathPoint, ...]


class Report(msgspec.Struct, frozen=True, kw_only=True):
    evaluation: Evaluation
    municipality: str
    municipality_name: Label
    plan_title: Label
    wave: int
    baseline: int | Literal["plan", "published"] | None
    demo: bool
    surveys: tuple[SurveySection, ...]
    generated_at: dt.datetime
    #: The plan's activities results table (years up to the wave), kept at /admin/activities.
    activities: tuple[ActivityRow, ...] = ()
    subgroups: tuple[SubgroupTable, ...] = ()
    """Each survey indicator by programme / district / role / experience (issue #11)."""
    trend: tuple[TrendSeries, ...] = ()
    """Every indicator in every wave evaluated so far (this one included), with the target path."""

    @property
    def threshold(self) -> int:
        return self.evaluation.suppression_threshold
