"""Statistical disclosure control of published count tables: primary and secondary suppression.

A *linear table* is a vector of published non-negative counts (cells) and the additive relations
a reader knows hold between them: ``values[total] == sum(values[c] for c in components)`` (a
margin, a grand total, the same total printed in another table of the same output). Cells of
every table of one output go into ONE linear table, so that relations across tables count too.

Rules (after τ-ARGUS and R's sdcTable; Hundepool et al., *Statistical Disclosure Control*,
Wiley 2012, §4.3–4.4; de Wolf, "HiTaS: a heuristic approach to cell suppression in hierarchical
tables", 2002):

1. **Primary suppression**: every cell with 0 < count < k.
2. **Secondary (complementary) suppression**, chosen greedily with minimal loss (the smallest
   positive cell of the relation, totals last):

   a. no relation with a published total has exactly one suppressed component (it would be the
      total minus the others);
   b. the suppressed components of a relation with a published total add up to 0 or at least k
      (their sum is known exactly: it is itself a figure about a group);
   c. an audit by linear programming (the attacker's problem, :func:`cell_bounds`): for every
      primary cell, the minimum and maximum of its value over all tables that agree with every
      published cell, relation and label ("fewer than k": 1..k−1; "withheld": k or more) differ.
      If not, the smallest published cell sharing a relation with it (else the smallest positive
      cell anywhere) is suppressed too and the audit repeats.

Zero cells are published (a count of nobody is about nobody). Pure and synchronous; scipy's
HiGHS (``scipy.optimize.linprog``) solves the audit. Sizes: tens to a few hundred cells.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

__all__ = [
    "LinearTable",
    "Relation",
    "cell_bounds",
    "exposed_cells",
    "primary_cells",
    "protect",
]


@dataclass(frozen=True)
class Relation:
    """``values[total] == sum(values[c] for c in components)``."""

    total: int
    components: tuple[int, ...]


@dataclass
class LinearTable:
    """Cells (counts ≥ 0) of one output and the relations between them; built with :meth:`cell`."""

    values: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    #: Never-printed helper cells whose range a reader knows (e.g. responses not yet released:
    #: 0..k−1); not themselves protected, never withheld or published.
    known_ranges: dict[int, tuple[int, int]] = field(default_factory=dict)

    def helper(self, value: int, low: int, high: int, label: str = "") -> int:
        """Add an unprinted cell the reader knows to lie in [low, high] (pass it in `forced`)."""
        index = self.cell(value, label)
        self.known_ranges[index] = (low, high)
        return index

    def cell(self, value: int, label: str = "") -> int:
        """Add a cell; returns its index. Raises ValueError for a negative count."""
        if value < 0:
            raise ValueError(f"a count cannot be negative: {label or len(self.values)} = {value}")
        self.values.append(int(value))
        self.labels.append(label)
        return len(self.values) - 1

    def relate(self, total: int, components: Iterable[int]) -> None:
        """Declare ``total == sum(components)``; raises ValueError when the numbers disagree."""
        comps = tuple(components)
        if not comps:
            return
        if self.values[total] != sum(self.values[c] for c in comps):
            raise ValueError(
                f"relation does not hold: {self.labels[total] or total} = {self.values[total]} "
                f"but its components add up to {sum(self.values[c] for c in comps)}"
            )
        self.relations.append(Relation(total, comps))


def primary_cells(values: Sequence[int], k: int) -> set[int]:
    """Indices of cells with 0 < value < k."""
    return {i for i, v in enumerate(values) if 0 < v < k}


def cell_bounds(
    table: LinearTable,
    suppressed: set[int],
    cells: Iterable[int] | None = None,
    *,
    k: int | None = None,
    unknown: Iterable[int] = (),
) -> dict[int, tuple[float, float]]:
    """The attacker's interval for each suppressed cell (default: all of them).

    Minimises and maximises x_i (one variable per suppressed cell) subject to every relation,
    published cells fixed at their values. Without `k`, x ≥ 0. With `k`, the attacker also reads
    the labels the outputs print: a primary cell ("fewer than k") is in [1, k − 1], a secondary
    one ("withheld"; never a zero) is ≥ k; cells in `unknown` (never printed) stay x ≥ 0.
    Returns {cell: (low, high)}; high is ``math.inf`` when unbounded. Source: the "audit" step
    of τ-ARGUS (Hundepool et al. 2012, §4.4.2).
    """
    free = set(unknown)
    order = sorted(suppressed)
    where = {c: j for j, c in enumerate(order)}
    rows: list[np.ndarray] = []
    rhs: list[float] = []
    for rel in table.relations:
        row = np.zeros(len(order))
        known = 0.0
        for c, sign in [(rel.total, -1.0)] + [(c, 1.0) for c in rel.components]:
            if c in where:
                row[where[c]] += sign
            else:
                known += sign * table.values[c]
        if np.any(row != 0):
            rows.append(row)
            rhs.append(-known)
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    bounds: list[tuple[float, float | None]] = []
    for c in order:
        v = table.values[c]
        if c in table.known_ranges:
            bounds.append(table.known_ranges[c])
        elif k is None or c in free or v == 0:
            bounds.append((0, None))
        elif v < k:
            bounds.append((1, k - 1))
        else:
            bounds.append((k, None))
    out: dict[int, tuple[float, float]] = {}
    for c in sorted(suppressed if cells is None else cells):
        objective = np.zeros(len(order))
        objective[where[c]] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        lo = float(low.fun) if low.status == 0 else 0.0
        hi = math.inf if high.status == 3 else (float(-high.fun) if high.status == 0 else math.inf)
        out[c] = (lo, hi)
    return out


def exposed_cells(
    table: LinearTable, suppressed: set[int], k: int, unknown: Iterable[int] = ()
) -> dict[int, tuple[str, int]]:
    """Why the suppression pattern fails, by cell: {} when it protects every primary cell.

    Values are (reason, relation index or -1). Reasons: "single" (rule a: a primary cell alone
    among the hidden components of a published total), "remainder" (rule b: the hidden part of a
    relation is a group under k), "exact" (rule c: the LP pins a primary cell's value).
    """
    out: dict[int, tuple[str, int]] = {}
    for index, rel in enumerate(table.relations):
        if rel.total in suppressed:
            continue
        hidden = [c for c in rel.components if c in suppressed]
        remainder = sum(table.values[c] for c in hidden)
        if len(hidden) == 1 and 0 < table.values[hidden[0]] < k:
            out.setdefault(hidden[0], ("single", index))
        elif 0 < remainder < k:
            for c in hidden:
                out.setdefault(c, ("remainder", index))
    free = set(unknown)
    primaries = ((primary_cells(table.values, k) & suppressed) | (free & suppressed)) - set(table.known_ranges)
    if primaries:
        for c, (lo, hi) in cell_bounds(table, suppressed, primaries, k=k, unknown=free).items():
            if c in table.known_ranges or (c in free and not 0 < table.values[c] < k):
                continue  # an unprinted figure of k or more (or a helper) may be derivable
            if hi - lo < 1 - 1e-9:
                out.setdefault(c, ("exact", -1))
    return out


def _neighbours(table: LinearTable, cell: int) -> list[int]:
    out: list[int] = []
    for rel in table.relations:
        members = (rel.total, *rel.components)
        if cell in members:
            out.extend(m for m in members if m != cell)
    return out


def _cheapest(table: LinearTable, candidates: Iterable[int], suppressed: set[int], frozen: set[int]) -> int | None:
    """Minimal loss: the smallest positive published cell, a cell that is a total of some relation last."""
    totals = {r.total for r in table.relations}
    pool = [c for c in set(candidates) if c not in suppressed and c not in frozen and table.values[c] > 0]
    if not pool:
        return None
    return min(pool, key=lambda c: (c in totals, table.values[c], c))


def protect(table: LinearTable, k: int, forced: Iterable[int] = (), frozen: Iterable[int] = ()) -> set[int]:
    """The cells to withhold: primary (0 < count < k, plus `forced`) and secondary ones.

    `forced`: cells never published (a figure only derivable from the others, e.g. responses
    without a school) — they take part in the audit as unknowns. `frozen`: cells another output
    already publishes; they are never chosen as complements; zeros are never withheld (so a
    "withheld" label means k or more). Returns a set of cell indices such that
    :func:`exposed_cells` is empty, unless every positive non-frozen cell had to be withheld and
    still is not enough (a frozen cell then discloses; callers freeze only cells of k or more).
    Raises ValueError for k < 1.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    fixed = set(frozen)
    unknown = set(forced)
    suppressed = (primary_cells(table.values, k) - fixed) | unknown
    while True:
        exposed = exposed_cells(table, suppressed, k, unknown)
        if not exposed:
            return suppressed
        pick: int | None = None
        for cell, (_reason, index) in sorted(exposed.items()):
            if index >= 0:
                rel = table.relations[index]
                pick = _cheapest(table, rel.components, suppressed, fixed)
                if pick is None and rel.total not in fixed and table.values[rel.total] > 0:
                    pick = rel.total
            else:
                pick = _cheapest(table, _neighbours(table, cell), suppressed, fixed)
            if pick is not None:
                break
        if pick is not None:
            suppressed.add(pick)
            continue
        # nothing left next to an exposed cell: the cheapest positive cell anywhere (a grand total …)
        pick = _cheapest(table, range(len(table.values)), suppressed, fixed)
        if pick is None:
            return suppressed  # every positive cell that may be withheld is: nothing more to do
        suppressed.add(pick)
