"""Cross-field rules of a municipality file, run after msgspec has checked the structure.

Each rule yields :class:`Problem` values (codes in ``errors.py``); nothing is raised here, so the
loader can report every problem of a file together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping

from pmp_surveys.catalogue.errors import Problem
from pmp_surveys.catalogue.schema import Indicator, Municipality

__all__ = ["check_municipality"]

_RISING_KINDS = frozenset({"at_least", "above"})
_FALLING_KINDS = frozenset({"at_most", "below"})

_Report = Callable[[str, str, str, str], Problem]


def check_municipality(
    m: Municipality, file: str, expected_code: str | None, instruments: Mapping[str, frozenset[str]] | None
) -> Iterator[Problem]:
    def problem(code: str, path: str, message: str, fix: str) -> Problem:
        return Problem(code=code, file=file, path=path, message=message, fix=fix)

    if expected_code is not None and m.code != expected_code:
        yield problem(
            "CAT105",
            "code",
            f"code {m.code!r} does not match the file name {file!r}.",
            "Name the file <code>.toml.",
        )
    plan = m.plan
    start, end = plan.period_start, plan.period_end
    if start > end or plan.baseline_year > start:
        yield problem(
            "CAT124",
            "plan",
            f"period {start}–{end} with baseline year {plan.baseline_year} is inconsistent.",
            "period_start must not be after period_end, nor baseline_year after period_start.",
        )
    eval_years = [(f"plan.evaluation_years[{i}]", y) for i, y in enumerate(plan.evaluation_years)]
    if plan.mid_term_year is not None:
        eval_years.append(("plan.mid_term_year", plan.mid_term_year))
    for path, year in eval_years:
        if not start <= year <= end:
            yield problem("CAT122", path, f"year {year} is outside the plan period {start}–{end}.", "Use a year in it.")

    for code, count in Counter(s.code for s in m.schools).items():
        if count > 1:
            i = [s.code for s in m.schools].index(code)
            yield problem(
                "CAT112",
                f"schools[{i}].code",
                f"school code {code!r} is used {count} times.",
                "Make it unique.",
            )

    if m.population is not None:
        for mi, margin in enumerate(m.population.margins):
            seen: set[tuple[str, ...]] = set()
            for ci, cell in enumerate(margin.cells):
                path = f"population.margins[{mi}].cells[{ci}].levels"
                if len(cell.levels) != len(margin.variables):
                    yield problem(
                        "CAT150",
                        path,
                        f"{len(cell.levels)} level(s) for {len(margin.variables)} variable(s).",
                        "Give one level per variable, in the order of `variables`.",
                    )
                key = tuple(cell.levels)
                if key in seen:
                    yield problem("CAT114", path, f"cell {list(key)} is given twice.", "Keep one.")
                seen.add(key)

    codes = [ind.code for ind in m.indicators]
    for i, ind in enumerate(m.indicators):
        if codes.index(ind.code) != i:
            yield problem(
                "CAT111",
                f"indicators[{i}].code",
                f"indicator code {ind.code!r} is used twice.",
                "Make it unique.",
            )
        yield from _check_indicator(ind, f"indicators[{i}]", m, instruments, problem)


def _check_indicator(
    ind: Indicator,
    at: str,
    m: Municipality,
    instruments: Mapping[str, frozenset[str]] | None,
    problem: _Report,
) -> Iterator[Problem]:
    b = ind.baseline
    base_year: int | None = None
    if b is not None:
        has_value = b.value is not None
        if has_value == (b.to_be_set is not None) or (has_value and b.year is None):
            yield problem(
                "CAT123",
                f"{at}.baseline",
                "a baseline needs either `value` with `year` (published figure) or `to_be_set`, not both.",
                "Write value + year, or to_be_set = <year of the first wave>; or omit the block.",
            )
        if b.value is not None and not 0.0 <= b.value <= 1.0:
            yield problem(
                "CAT120",
                f"{at}.baseline.value",
                f"{b.value} is not a share between 0 and 1.",
                "Write percentages as fractions: 60% is 0.60, 0.05% is 0.0005.",
            )
        base_year = b.year if b.value is not None else b.to_be_set
    years = [t.year for t in ind.targets]
    rising = ind.direction == "rise"
    for ti, t in enumerate(ind.targets):
        tp = f"{at}.targets[{ti}]"
        if not 0.0 <= t.value <= 1.0:
            yield problem(
                "CAT120",
                f"{tp}.value",
                f"{t.value} is not a share between 0 and 1.",
                "Write percentages as fractions: 70% is 0.70, < 1% is kind = 'below', value = 0.01.",
            )
        if years.index(t.year) != ti:
            yield problem("CAT113", f"{tp}.year", f"a second target for {t.year}.", "Keep one target per year.")
        if base_year is not None and t.year <= base_year:
            yield problem(
                "CAT121",
                f"{tp}.year",
                f"target year {t.year} is not after the baseline year {base_year}.",
                "Targets must lie after the baseline; check both years against the plan.",
            )
        if not m.plan.period_start <= t.year <= m.plan.period_end:
            yield problem(
                "CAT122",
                f"{tp}.year",
                f"target year {t.year} is outside the plan period {m.plan.period_start}–{m.plan.period_end}.",
                "Use a year of the plan period, or correct the plan period.",
            )
        if (rising and t.kind in _FALLING_KINDS) or (not rising and t.kind in _RISING_KINDS):
            yield problem(
                "CAT140",
                f"{tp}.kind",
                f"target kind {t.kind!r} contradicts direction {ind.direction!r}.",
                "A rising indicator takes at_least/above, a falling one at_most/below.",
            )
        elif (
            b is not None
            and b.value is not None
            and ((rising and t.value < b.value) or (not rising and t.value > b.value))
        ):
            yield problem(
                "CAT141",
                f"{tp}.value",
                f"target {t.value} is on the wrong side of baseline {b.value} for {ind.direction!r}.",
                "Check direction, baseline and target against the plan.",
            )
    if ind.source.kind == "survey" and ind.source.inference == "census":
        yield problem(
            "CAT133",
            f"{at}.source.inference",
            "a survey reaches a sample of the population, not all of it: its figures cannot be a census.",
            "Remove `inference`, or set it to 'sample'.",
        )
    if ind.source.kind == "survey":
        if ind.survey is None:
            yield problem(
                "CAT130",
                f"{at}.survey",
                "a survey indicator needs a `survey` block.",
                "Add survey = { instrument = '<key>', rule = '<rule id>', design = 'simple' }.",
            )
        elif instruments is not None:
            rules = instruments.get(ind.survey.instrument)
            if rules is None:
                yield problem(
                    "CAT132",
                    f"{at}.survey.instrument",
                    f"unknown instrument {ind.survey.instrument!r}.",
                    f"Use one of: {', '.join(sorted(instruments))}.",
                )
            elif ind.survey.rule not in rules:
                yield problem(
                    "CAT132",
                    f"{at}.survey.rule",
                    f"instrument {ind.survey.instrument!r} has no scoring rule {ind.survey.rule!r}.",
                    f"Use one of: {', '.join(sorted(rules))}.",
                )
    elif ind.survey is not None:
        yield problem(
            "CAT131",
            f"{at}.survey",
            "an administrative indicator must not name a survey instrument.",
            "Remove the survey block, or set source.kind = 'survey'.",
        )
