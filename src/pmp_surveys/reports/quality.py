"""Instrument quality of a survey's scales for the report: per item, the item–rest correlation
and Cronbach's alpha if the item were deleted (:func:`pmp_surveys.analysis.scale_reliability`,
R ``psych::alpha``), on the complete cases that the report's alpha (Feldt interval) uses, so the
two tables agree. Pure; a scale whose complete cases are under the suppression threshold gives
suppressed rows.
"""

from __future__ import annotations

import polars as pl

from pmp_surveys.analysis.reliability import scale_reliability
from pmp_surveys.analysis.suppression import is_small
from pmp_surveys.indicators.extract import WaveResponses
from pmp_surveys.indicators.scales import scale_rules
from pmp_surveys.instruments.coding import DONT_KNOW_CODE
from pmp_surveys.instruments.definition import LikertQuestion
from pmp_surveys.reports.model import ItemQualityRow, Label


def item_quality(data: WaveResponses, threshold: int) -> list[ItemQualityRow]:
    """One row per item of every scale (of two or more items) of the latest version; "don't know"
    is missing, reverse-worded items are keyed first (as the evaluation's alpha)."""
    rows: list[ItemQualityRow] = []
    frame = data.aligned()
    for instrument, rule in scale_rules(data):
        if len(rule.items) < 3 or any(item not in frame.columns for item in rule.items):
            continue  # alpha without an item needs at least two items left
        questions = [instrument.question(i) for i in rule.items]
        points = max((q.points for q in questions if isinstance(q, LikertQuestion)), default=None)
        reverse = [q.id for q in questions if isinstance(q, LikertQuestion) and q.reverse]
        items = frame.select(
            [
                pl.when(pl.col(i) == DONT_KNOW_CODE).then(None).otherwise(pl.col(i)).cast(pl.Float64).alias(i)
                for i in rule.items
            ]
        )
        result = scale_reliability(items, rule.items, reverse=reverse, points=points, missing="listwise")
        small = is_small(result.n_complete, threshold)
        label = Label(rule.label.lv, rule.label.en)
        texts = {q.id: Label(q.label.lv, q.label.en) for q in questions}
        for stats in result.items:
            rows.append(
                ItemQualityRow(
                    scale=rule.id,
                    label=label,
                    item=stats.item,
                    reversed=stats.item in reverse,
                    item_label=texts.get(stats.item),
                    item_rest_r=None if small else stats.item_rest_r,
                    alpha_if_deleted=None if small else stats.alpha_if_deleted,
                    suppressed=small,
                )
            )
    return rows
