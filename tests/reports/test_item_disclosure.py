"""Item tables: no answer share or non-response count describes fewer than k respondents.

Before `reports.disclosure.protect_item`, the answer-distribution table printed shares such as
0,25 % of 405 (one teacher chose that point) and the non-response table printed blank counts of
1–4; with the row's n printed, every such share was a count about fewer than k people.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pmp_surveys.analysis.sdc import LinearTable, cell_bounds
from pmp_surveys.reports.disclosure import protect_item


def _attack(shown: int, blank: int, dk: int, points: list[int], hidden: dict[str, str], k: int) -> dict[str, tuple]:
    """The reader's interval for each withheld cell, from everything printed (LP audit)."""
    table = LinearTable()
    total = table.cell(shown)
    cells = {"blank": table.cell(blank), "dont_know": table.cell(dk)}
    cells.update({f"p{i + 1}": table.cell(x) for i, x in enumerate(points)})
    cells["n"] = table.cell(dk + sum(points))
    table.relate(cells["n"], [cells["dont_know"], *(cells[f"p{i + 1}"] for i in range(len(points)))])
    table.relate(total, [cells["blank"], cells["n"]])
    suppressed = {cells[name] for name in hidden}
    bounds = cell_bounds(table, suppressed, k=k)
    return {name: bounds[cells[name]] for name in hidden}


def test_one_teacher_on_a_point_is_not_printed() -> None:
    points = [1, 20, 150, 200, 34]  # 405 answered: point 1 is one teacher (0,25 %)
    hidden = protect_item(410, 5, 0, points, 5)
    assert hidden["p1"] == "primary"
    assert any(kind == "withheld" for kind in hidden.values())  # and a complement, or p1 = n − the rest
    for name, (low, high) in _attack(410, 5, 0, points, hidden, 5).items():
        assert low < high, name


def test_nothing_small_nothing_hidden() -> None:
    assert protect_item(100, 10, 10, [10, 20, 20, 20, 10], 5) == {}


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(0, 40), min_size=2, max_size=7),
    st.integers(0, 12),
    st.integers(0, 12),
    st.integers(3, 6),
)
def test_no_hidden_cell_is_recomputable(points: list[int], blank: int, dk: int, k: int) -> None:
    shown = blank + dk + sum(points)
    if shown < k:
        return  # the whole question is suppressed then
    hidden = protect_item(shown, blank, dk, points, k)
    cells = {"blank": blank, "dont_know": dk, **{f"p{i + 1}": x for i, x in enumerate(points)}}
    assert {name for name, x in cells.items() if 0 < x < k} <= set(hidden)
    for name, (low, high) in _attack(shown, blank, dk, points, hidden, k).items():
        assert low < high, f"{name} recomputable in {cells} (shown {shown}, k {k})"
