"""The one-page summary for a city council, in plain words (Latvian or English).

How many targets were reached, missed or cannot yet be judged, then one sentence per indicator:
its value, what changed since the baseline and what that means for the target. No p-values,
test or method names here — those stay in the tables, the methods appendix and the XLSX.

A sample's change is called a rise or a fall only when its confidence interval excludes zero;
otherwise the sentence says the difference may be chance. A complete count (census) has no
interval: its change is the plain difference. Suppressed groups give no figure (the sentence says
there were too few responses).
"""

from __future__ import annotations

import msgspec

from pmp_surveys.indicators.schemas import IndicatorResult
from pmp_surveys.reports.model import Report
from pmp_surveys.reports.strings import Strings, target_operator

__all__ = [
    "PlainSummary",
    "indicator_sentence",
    "plain_summary",
    "plan_baseline_text",
    "promise_sentence",
    "promises_change",
]

_LV: dict[str, str] = {
    "title": "Kopsavilkums",
    "counts": "No {judged} plāna mērķiem, ko šogad var vērtēt: sasniegti {achieved}, nav sasniegti {missed}, "
    "vēl nevar pateikt {unsure}. Vēl {other} rādītājiem nav datu, mērķa vai pietiekami daudz atbilžu.",
    "value": "{wave}. gadā — {value}",
    "value_ci": "{wave}. gadā — {value} (visticamāk no {low} līdz {high})",
    "no_value": "{wave}. gadā datu vēl nav",
    "too_few": "{wave}. gadā atbilžu par maz (mazāk nekā {threshold}), lai rādītu skaitli",
    "rise": "salīdzinot ar {base}, tas ir pieaudzis par {points}",
    "fall": "salīdzinot ar {base}, tas ir samazinājies par {points}",
    "same": "salīdzinot ar {base}, tas nav mainījies",
    "unclear": "salīdzinot ar {base}, pārliecinošu izmaiņu nav (starpība {points} procentpunkti var būt nejauša)",
    "base_wave": "{year}. gada vilni ({value})",
    "base_year": "{year}. gadu ({value})",
    "base_published": "plānā publicēto {year}. gada vērtību ({value})",
    "no_change": "pārmaiņas vēl nevar parādīt: {why}",
    "why_no_baseline": "nav bāzes vērtības, ar ko salīdzināt",
    "why_base_suppressed": "bāzes vilnī atbilžu par maz",
    "plan_baseline": "plānā bāzes vērtība — {text}",
    "to_be_set": "tiks noteikta {year}. gadā",
    "good_way": "plāna vēlamajā virzienā",
    "bad_way": "pretēji plāna vēlamajam virzienam",
    "achieved": "Mērķis ({target}) ir sasniegts.",
    "not_achieved": "Mērķis ({target}) nav sasniegts.",
    "not_yet_distinguishable": "Vēl nevar pateikt, vai mērķis ({target}) ir sasniegts: nenoteiktība ir pārāk liela.",
    "no_target": "Plānā šim rādītājam mērķa nav.",
    "no_data": "Mērķa sasniegšanu vēl nevar vērtēt.",
    "suppressed": "Mērķa sasniegšanu nevar vērtēt.",
    "points": "{n} procentpunktiem",
    "promise_rise": "pieaugumu",
    "promise_fall": "samazinājumu",
    "promise_shown": "Plāns sola {what} bez skaitliska mērķa: tas ir apstiprināts.",
    "promise_against": "Plāns sola {what} bez skaitliska mērķa: tā nav — rādītājs mainījies pretējā virzienā.",
    "promise_unclear": "Plāns sola {what} bez skaitliska mērķa: vēl nevar pateikt, vai tas ir noticis, "
    "jo izmaiņas var būt nejaušas.",
    "promise_unknown": "Plāns sola {what} bez skaitliska mērķa, bet to vēl nevar parādīt: {why}.",
    "why_first_wave": "plānā bāzes vērtības nav, un {wave}. gada vilnis ir šīs aptaujas pirmais, tāpēc tas kļūst "
    "par bāzes vērtību — pārmaiņas būs redzamas pēc nākamā viļņa",
    "why_plan_none": "plānā bāzes vērtības nav; salīdzināt var ar iepriekšējo aptaujas vilni, ja tāds ir",
    "why_no_such_year": "izvēlētajā {year}. gadā šīs aptaujas vilņa nav",
    "why_to_be_set": "bāzes vērtību nosaka {year}. gada vilnis, kura datu vēl nav",
    "why_too_few_now": "šajā vilnī atbilžu par maz",
    "why_no_data_now": "šī gada datu vēl nav",
    "count_as_share": "Plāns runā par pedagogu skaitu; šeit tas mērīts kā pedagogu īpatsvars aptaujā, jo "
    "kopējais pedagogu skaits gadu no gada mainās.",
}

_EN: dict[str, str] = {
    "title": "Summary",
    "counts": "Of the {judged} plan targets that can be judged this year: {achieved} reached, {missed} missed, "
    "{unsure} cannot be told yet. {other} more indicators have no data, no target or too few responses.",
    "value": "in {wave}: {value}",
    "value_ci": "in {wave}: {value} (most likely between {low} and {high})",
    "no_value": "no data for {wave} yet",
    "too_few": "too few responses in {wave} (fewer than {threshold}) to show a figure",
    "rise": "up by {points} compared with {base}",
    "fall": "down by {points} compared with {base}",
    "same": "unchanged compared with {base}",
    "unclear": "no clear change compared with {base} (the difference of {points} percentage points may be chance)",
    "base_wave": "the {year} wave ({value})",
    "base_year": "{year} ({value})",
    "base_published": "the plan's published {year} value ({value})",
    "no_change": "no change can be shown yet: {why}",
    "why_no_baseline": "there is no baseline to compare with",
    "why_base_suppressed": "too few responses in the baseline wave",
    "plan_baseline": "baseline in the plan: {text}",
    "to_be_set": "to be set in {year}",
    "good_way": "the way the plan wants",
    "bad_way": "against the way the plan wants",
    "achieved": "Target ({target}) reached.",
    "not_achieved": "Target ({target}) not reached.",
    "not_yet_distinguishable": "It cannot be told yet whether the target ({target}) is reached: the "
    "uncertainty is too large.",
    "no_target": "The plan sets no target for it.",
    "no_data": "The target cannot be judged yet.",
    "suppressed": "The target cannot be judged.",
    "points": "{n} percentage points",
    "promise_rise": "an increase",
    "promise_fall": "a decrease",
    "promise_shown": "The plan promises {what} without a numeric target: it is confirmed.",
    "promise_against": "The plan promises {what} without a numeric target: it has not happened — the "
    "indicator moved the other way.",
    "promise_unclear": "The plan promises {what} without a numeric target: it cannot be told yet whether it "
    "happened, as the difference may be chance.",
    "promise_unknown": "The plan promises {what} without a numeric target, but it cannot be shown yet: {why}.",
    "why_first_wave": "the plan prints no baseline and the {wave} wave is this survey's first, so it becomes the "
    "baseline — a change can be shown after the next wave",
    "why_plan_none": "the plan prints no baseline; an earlier wave of the survey, where there is one, can serve",
    "why_no_such_year": "this survey has no wave in the chosen year {year}",
    "why_to_be_set": "the baseline is the {year} wave, which has no data yet",
    "why_too_few_now": "too few responses in this wave",
    "why_no_data_now": "no data for this year yet",
    "count_as_share": "The plan speaks of a number of teachers; it is measured here as the share of teachers in "
    "the survey, as the total number of teachers changes from year to year.",
}


class PlainSummary(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    counts: str
    achieved: int
    missed: int
    unsure: int
    other: int
    sentences: tuple[tuple[str, str], ...]
    """(indicator code, sentence) in the catalogue's order."""


def _w(t: Strings, key: str, **fields: object) -> str:
    text = (_LV if t.lang == "lv" else _EN)[key]
    return text.format(**fields) if fields else text


def _points(t: Strings, change: float) -> str:
    return _w(t, "points", n=t.number(abs(change) * 100.0, 1))


def _baseline(t: Strings, r: IndicatorResult) -> str:
    value = t.percent(r.baseline_value) if r.baseline_value is not None else "—"
    if r.baseline_source == "published":
        return _w(t, "base_published", year=r.baseline_year, value=value)
    if r.baseline_source == "microdata":
        return _w(t, "base_wave", year=r.baseline_year, value=value)
    return _w(t, "base_year", year=r.baseline_year, value=value)


def _change(t: Strings, r: IndicatorResult) -> str | None:
    if r.suppressed or r.value is None:
        return None
    if r.change is None:
        why = "why_base_suppressed" if r.baseline_suppressed else "why_no_baseline"
        return _w(t, "no_change", why=_w(t, why))
    base = _baseline(t, r)
    census = r.inference == "census"
    sure = census or (
        r.change_ci_low is not None and r.change_ci_high is not None and (r.change_ci_low > 0 or r.change_ci_high < 0)
    )
    if r.change == 0.0:
        return _w(t, "same", base=base)
    if not sure:
        return _w(t, "unclear", base=base, points=t.points(r.change))
    text = _w(t, "rise" if r.change > 0 else "fall", base=base, points=_points(t, r.change))
    wanted = (r.change > 0) == (r.direction == "rise")
    return f"{text} ({_w(t, 'good_way' if wanted else 'bad_way')})"


def _value(t: Strings, r: IndicatorResult, threshold: int) -> str:
    if r.suppressed:
        return _w(t, "too_few", wave=r.wave, threshold=threshold)
    if r.value is None:
        return _w(t, "no_value", wave=r.wave)
    if r.ci_low is not None and r.ci_high is not None:
        return _w(
            t, "value_ci", wave=r.wave, value=t.percent(r.value), low=t.percent(r.ci_low), high=t.percent(r.ci_high)
        )
    return _w(t, "value", wave=r.wave, value=t.percent(r.value))


def _target(t: Strings, r: IndicatorResult) -> str:
    if r.target_value is None:
        return ""
    return f"{target_operator(r.target_kind or '')} {t.percent(r.target_value)}, {r.target_year}"


def plan_baseline_text(t: Strings, r: IndicatorResult) -> str:
    """The plan's printed baseline: its own Latvian wording, or in English its value and year."""
    if t.lang == "lv" and r.plan_baseline_text:
        return r.plan_baseline_text.rstrip(".")
    if r.plan_baseline_value is not None:
        return f"{t.percent(r.plan_baseline_value)} ({r.plan_baseline_year})"
    if r.plan_baseline_year is not None:
        return _w(t, "to_be_set", year=r.plan_baseline_year)
    return "—"


def promises_change(r: IndicatorResult) -> bool:
    """An expected result whose name promises a change ("increased number of teachers who …",
    Rīga's RT1–RT4) and the plan gives no numeric target: its verdict is the change itself."""
    return r.kind == "expected_result" and r.target_value is None


def _why_no_change(t: Strings, r: IndicatorResult, auto: bool) -> str:
    if r.suppressed:
        return _w(t, "why_too_few_now")
    if r.value is None:
        return _w(t, "why_no_data_now")
    if r.baseline_suppressed:
        return _w(t, "why_base_suppressed")
    codes = {n.code: n.params for n in r.note_codes}
    if "no_earlier_wave" in codes or (auto and "no_baseline" in codes):
        return _w(t, "why_first_wave", wave=r.wave)
    if "baseline_year_without_data" in codes:
        return _w(t, "why_no_such_year", year=codes["baseline_year_without_data"].get("year", ""))
    if "baseline_to_be_set" in codes:
        return _w(t, "why_to_be_set", year=codes["baseline_to_be_set"].get("year", ""))
    return _w(t, "why_plan_none")


def promise_sentence(t: Strings, r: IndicatorResult, *, auto: bool = True) -> str:
    """Whether the change the indicator's name promises is shown, or why it cannot be (plain words).

    `auto`: the baseline followed the stated rule (no earlier wave then means this is the first)."""
    what = _w(t, "promise_rise" if r.direction == "rise" else "promise_fall")
    if r.suppressed or r.value is None or r.change is None:
        text = _w(t, "promise_unknown", what=what, why=_why_no_change(t, r, auto))
    else:
        census = r.inference == "census"
        sure = census or (
            r.change_ci_low is not None
            and r.change_ci_high is not None
            and (r.change_ci_low > 0 or r.change_ci_high < 0)
        )
        wanted = (r.change > 0) == (r.direction == "rise")
        if not sure or r.change == 0.0:
            text = _w(t, "promise_unclear", what=what)
        else:
            text = _w(t, "promise_shown" if wanted else "promise_against", what=what)
    if r.source == "survey" and "skait" in r.name_lv.lower():
        text += " " + _w(t, "count_as_share")
    return text


def indicator_sentence(t: Strings, r: IndicatorResult, threshold: int, *, auto: bool = True) -> str:
    """One plain sentence: value, change since the baseline (or why none), the target verdict — or,
    for an expected result promising a change without a target, whether that change is shown."""
    name = (r.name_lv if t.lang == "lv" else r.name).rstrip(". ")
    parts = [_value(t, r, threshold)]
    change = _change(t, r)
    if promises_change(r) and r.change is None:
        change = None  # the promise sentence says why, precisely
    if change:
        parts.append(change)
    if r.baseline_source != "published" and (r.plan_baseline_text or r.plan_baseline_year):
        parts.append(_w(t, "plan_baseline", text=plan_baseline_text(t, r)))
    if promises_change(r):
        return f"{name}: {'; '.join(parts)}. {promise_sentence(t, r, auto=auto)}"
    verdict = r.verdict if r.verdict in _LV else "no_data"
    return f"{name}: {'; '.join(parts)}. {_w(t, verdict, target=_target(t, r))}"


def plain_summary(report: Report, t: Strings) -> PlainSummary:
    """The council's page: the counts of verdicts and one sentence per indicator."""
    results = report.evaluation.indicators
    threshold = report.threshold
    achieved = sum(r.verdict == "achieved" for r in results)
    missed = sum(r.verdict == "not_achieved" for r in results)
    unsure = sum(r.verdict == "not_yet_distinguishable" for r in results)
    other = len(results) - achieved - missed - unsure
    counts = _w(
        t, "counts", judged=achieved + missed + unsure, achieved=achieved, missed=missed, unsure=unsure, other=other
    )
    return PlainSummary(
        title=_w(t, "title"),
        counts=counts,
        achieved=achieved,
        missed=missed,
        unsure=unsure,
        other=other,
        sentences=tuple((r.code, indicator_sentence(t, r, threshold, auto=report.baseline is None)) for r in results),
    )
