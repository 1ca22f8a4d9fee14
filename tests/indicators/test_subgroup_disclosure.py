"""Subgroup tables: a small group's n cannot be recomputed as the indicator's n minus the others.

Before the secondary suppression of `indicators.subgroups._withheld`, a programme with 3 parents
beside groups of 40 and 12 was printed as "< 5" while the indicator's n (55) and the other two
groups' n were printed, so 55 − 40 − 12 = 3 gave it back.
"""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pmp_surveys.analysis.sdc import LinearTable, cell_bounds
from pmp_surveys.indicators.subgroups import _withheld


def _counts(sizes: dict[int, int]) -> pl.DataFrame:
    return pl.DataFrame(
        {"group": list(sizes), "n": list(sizes.values()), "x": [0] * len(sizes)},
        schema={"group": pl.Int64, "n": pl.UInt32, "x": pl.Int64},
    )


def _attack(sizes: dict[int, int], total: int, hidden: set[int], k: int) -> dict[int, tuple[float, float]]:
    """The reader's interval for each withheld group (LP audit, as τ-ARGUS does)."""
    table = LinearTable()
    cells = {g: table.cell(n) for g, n in sizes.items()}
    whole = table.cell(total)
    rest = total - sum(sizes.values())
    parts = list(cells.values())
    unknown = []
    if rest > 0:
        parts.append(table.cell(rest))
        unknown.append(parts[-1])
    table.relate(whole, parts)
    suppressed = {cells[g] for g in hidden} | set(unknown)
    bounds = cell_bounds(table, suppressed, [cells[g] for g in hidden], k=k, unknown=unknown)
    return {g: bounds[cells[g]] for g in hidden}


def test_one_small_group_takes_a_complement_with_it() -> None:
    sizes = {1: 40, 2: 12, 3: 3}
    hidden = _withheld(_counts(sizes), 55, 5)
    assert 3 in hidden and len(hidden) >= 2  # the smallest other group goes with it
    for g, (low, high) in _attack(sizes, 55, hidden, 5).items():
        assert low < high, f"group {g} recomputable"


def test_nothing_small_nothing_withheld() -> None:
    assert _withheld(_counts({1: 40, 2: 12}), 52, 5) == set()


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.dictionaries(st.integers(1, 6), st.integers(1, 30), min_size=1, max_size=6),
    st.integers(0, 6),
    st.integers(3, 6),  # with k = 2 the label "fewer than 2" alone says 1: no suppression can hide that
)
def test_no_withheld_group_is_recomputable(sizes: dict[int, int], missing: int, k: int) -> None:
    total = sum(sizes.values()) + missing
    hidden = _withheld(_counts(sizes), total, k)
    if total < k:  # the indicator's own n is withheld, and with it every group
        assert hidden == set(sizes)
        return
    assert {g for g, n in sizes.items() if 0 < n < k} <= hidden
    for g, (low, high) in _attack(sizes, total, hidden, k).items():
        assert low < high, f"group {g} of {sizes} (total {total}, k {k}) is recomputable"
