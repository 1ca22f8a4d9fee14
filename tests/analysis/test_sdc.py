"""Table suppression (primary + secondary, audited by LP) and k-anonymity, as properties.

The checks here are independent of the implementation's own audit: for every primary cell the
attacker's interval is recomputed with scipy's LP over all non-negative tables that agree with
what is published, and the k-anonymity checker counts keys directly.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from pmp_surveys.analysis.kanon import k_anonymize
from pmp_surveys.analysis.sdc import LinearTable, protect

K = 5


def _attacker_range(table: LinearTable, hidden: set[int], cell: int) -> tuple[float, float]:
    """min and max of one hidden cell over all tables consistent with the output, reading its
    labels too: a cell printed as "fewer than k" is in 1..k-1, one printed "withheld" is >= k."""
    order = sorted(hidden)
    pos = {c: i for i, c in enumerate(order)}
    a, b = [], []
    for rel in table.relations:
        row = np.zeros(len(order))
        known = 0.0
        for c, sign in [(rel.total, -1.0), *[(c, 1.0) for c in rel.components]]:
            if c in pos:
                row[pos[c]] += sign
            else:
                known += sign * table.values[c]
        a.append(row)
        b.append(-known)
    obj = np.zeros(len(order))
    obj[pos[cell]] = 1
    bounds = [(1, K - 1) if table.values[c] < K else (K, None) for c in order]
    lo = linprog(obj, A_eq=np.array(a), b_eq=np.array(b), bounds=bounds, method="highs")
    hi = linprog(-obj, A_eq=np.array(a), b_eq=np.array(b), bounds=bounds, method="highs")
    return lo.fun, (np.inf if hi.status == 3 else -hi.fun)


def _grid(values: list[list[int]]) -> LinearTable:
    """Schools × campaigns with row, column and grand totals (as the report and API publish them)."""
    t = LinearTable()
    cells = [[t.cell(v) for v in row] for row in values]
    rows = [t.cell(sum(r)) for r in values]
    cols = [t.cell(sum(r[j] for r in values)) for j in range(len(values[0]))]
    grand = t.cell(sum(map(sum, values)))
    for i, row in enumerate(cells):
        t.relate(rows[i], row)
    for j in range(len(values[0])):
        t.relate(cols[j], [cells[i][j] for i in range(len(values))])
    t.relate(grand, rows)
    t.relate(grand, cols)
    return t


def test_totals_minus_visible_counts_is_closed() -> None:
    """Issue #10, path 2 (pure): campaigns 6 and 2 with a published total 8."""
    t = LinearTable()
    a, b, total = t.cell(6), t.cell(2), t.cell(8)
    t.relate(total, [a, b])
    hidden = protect(t, K, frozen=[total])
    assert hidden == {a, b}
    assert _attacker_range(t, hidden, b) == (1.0, 3.0)  # "fewer than 5", and 8 - a with a >= 5


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 12), min_size=2, max_size=4), min_size=2, max_size=4).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_no_linear_combination_isolates_a_small_cell(values: list[list[int]]) -> None:
    t = _grid(values)
    hidden = protect(t, K)
    assert all(t.values[c] > 0 for c in hidden)  # a zero is printed, never withheld
    for c, v in enumerate(t.values):
        if 0 < v < K:
            assert c in hidden
            lo, hi = _attacker_range(t, hidden, c)
            assert hi - lo >= 1 - 1e-9, (values, c, lo, hi)
    for rel in t.relations:  # the hidden part of a published total is 0 or a group of at least k
        if rel.total not in hidden:
            rest = sum(t.values[c] for c in rel.components if c in hidden)
            assert rest == 0 or rest >= K


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", "d", "e"]), st.sampled_from([1, 2, 3]), st.sampled_from([1, 2])),
        min_size=K,
        max_size=60,
    )
)
def test_local_suppression_makes_every_key_k_anonymous(records: list[tuple[str, int, int]]) -> None:
    result = k_anonymize(records, ["school", "role", "experience"], K)
    assert min(Counter(result.records).values()) >= K
    for before, after in zip(records, result.records, strict=True):  # only blanking, never changing
        assert all(y is None or x == y for x, y in zip(before, after, strict=True))
    blanked = sum(
        x is not None and y is None
        for b, a in zip(records, result.records, strict=True)
        for x, y in zip(b, a, strict=True)
    )
    assert blanked == sum(result.blanked.values())
