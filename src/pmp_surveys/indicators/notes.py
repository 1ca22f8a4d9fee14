"""Structured notes of the evaluation: a code with parameters, and its English text.

Every note the engine writes is a :class:`~pmp_surveys.indicators.schemas.NoteCode` (``code`` and
``params``); the result keeps the English text in ``notes`` (for compatibility) and the codes in
``note_codes``, so a report can say the same thing in another language. :data:`ENGLISH` holds one
template per code (``str.format`` fields named as the params); every code a report renders needs
a template in each of its languages (``pmp_surveys.reports.notes``).

Counts of respondents (the params in :data:`COUNT_PARAMS`) obey the suppression threshold like
every other figure: :func:`mask` replaces a count ``0 < n < threshold`` with the string
``"<threshold"``, which the renderers write as "fewer than threshold".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pmp_surveys.indicators.schemas import NoteCode

__all__ = ["COUNT_PARAMS", "ENGLISH", "english", "format_note", "mask", "note"]

#: Params that count respondents (masked under the threshold).
COUNT_PARAMS: frozenset[str] = frozenset({"responses"})

ENGLISH: dict[str, str] = {
    # values (evaluate.py, estimates.py)
    "rule_missing": "no instrument version of the wave has rule '{rule}'",
    "weighted_without_margins": "design 'weighted' asked, 'simple' used: the municipality file gives no "
    "population margins",
    "weighted_margins_not_single": "design 'weighted' asked, 'simple' used: margin variables {variables} are not "
    "single-choice questions",
    "weighted_raking_impossible": "design 'weighted' asked, 'simple' used: raking is impossible ({error})",
    "weighted_dropped": "{responses} response(s) without a weighting category that has a population figure "
    "left out of the weighted estimate",
    "raking_not_converged": "design 'weighted' asked, 'simple' used: raking did not converge "
    "(max margin error {error:.2g})",
    "raked": "raked to {margins} population margin(s); Kish design effect of the weights "
    "(1 + CV², against simple random sampling with replacement) {deff:.2f}",
    "raked_no_deff": "raked to {margins} population margin(s)",
    "clustered_without_head_counts": "design 'clustered' asked, 'simple' used: no school has a usable teacher "
    "head-count",
    "schools_without_head_count": "{schools} school(s) without a usable teacher head-count (missing or below the "
    "respondents): no finite population correction, average weight",
    "responses_without_school": "{responses} response(s) without a school form their own stratum",
    "figures_whole_municipality": "whole-municipality figure used; school rows ignored",
    "figures_school_sum": "sum of {rows} school row(s)",
    "no_responses": "no responses for {wave}",
    "no_figures": "no figures for {wave}",
    "suppressed": "fewer than {threshold} counted: suppressed",
    "baseline_suppressed": "baseline group has fewer than {threshold} counted: suppressed",
    # baselines (baseline.py, evaluate.py)
    "baseline_is_wave": "the baseline is the evaluated wave itself",
    "no_published_baseline": "the catalogue has no published baseline",
    "no_baseline": "no baseline in the plan",
    "baseline_year_without_data": "no data for the baseline year {year}",
    "baseline_year_without_data_fallback": "no data for the baseline year {year}; compared with the "
    "baseline of {fallback} instead",
    "no_earlier_wave": "no wave before {wave} and no baseline figure in the plan",
    "baseline_to_be_set": "baseline to be set from the {year} wave: no data yet",
    # targets
    "target_earlier": "judged against the {target_year} target, the latest one due by {wave}",
    "target_interim": "no target is due yet: judged against the next one ({target_year}), an interim look",
    # scale scores (scales.py)
    "scale_rule_missing": "no instrument version of the wave has scale '{rule}'",
    "scale_design_simple": "scale means of this instrument are unweighted (design 'simple')",
    "welch_undefined": "Welch's t and Hedges' g are undefined: {reason}",
    "alpha_suppressed": "Cronbach's alpha: fewer than {threshold} complete cases: suppressed",
}


def note(code: str, **params: str | int | float) -> NoteCode:
    """A note; `code` must have an English template."""
    if code not in ENGLISH:
        raise KeyError(f"unknown note code {code!r}")
    return NoteCode(code=code, params=dict(params))


def mask(item: NoteCode, threshold: int) -> NoteCode:
    """`item` with every count of respondents under `threshold` replaced by ``"<threshold"``."""
    params = dict(item.params)
    changed = False
    for name in COUNT_PARAMS & params.keys():
        value = params[name]
        if isinstance(value, int) and 0 < value < threshold:
            params[name] = f"<{threshold}"
            changed = True
    return NoteCode(code=item.code, params=params) if changed else item


def format_note(
    template: str,
    params: Mapping[str, str | int | float],
    *,
    fewer_than: Callable[[str], str],
    number: Callable[[float], object] = lambda x: x,
) -> str:
    """Fill `template` with `params`: a masked count ("<5") becomes ``fewer_than("5")``, floats go
    through `number` (e.g. a float type that formats with a decimal comma)."""
    values: dict[str, object] = {}
    for name, value in params.items():
        if isinstance(value, str) and name in COUNT_PARAMS and value.startswith("<"):
            values[name] = fewer_than(value[1:])
        elif isinstance(value, float):
            values[name] = number(value)
        else:
            values[name] = value
    return template.format(**values)


def english(item: NoteCode) -> str:
    """The English text of a note."""
    return format_note(ENGLISH[item.code], item.params, fewer_than=lambda t: f"fewer than {t}")
