"""Table suppression (primary + secondary, audited by LP) and k-anonymity, as properties.

The checks here are independent of the implementation's own audit: for every primary cell the
attacker's interval is recomputed with scipy's LP over all non-negative tables that agree with
what is published, and the k-anonymity checker counts keys directly.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import assume, given, settings
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


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.lists(st.integers(0, 12), min_size=2, max_size=4), min_size=2, max_size=4).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_no_linear_combination_isolates_a_small_cell(values: list[list[int]]) -> None:
    # A table whose grand total is under k is about fewer than k as a whole: the outputs print
    # none of it (a survey section or wave under k is suppressed entirely), not cell labels;
    # with every cell labelled "fewer than k" the labels alone would pin [[1, 1], [1, 1]].
    assume(sum(map(sum, values)) >= K)
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


@settings(max_examples=60, deadline=None, derandomize=True)
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


Bounds = dict[str, tuple[float, float | None]]


def _check_output(
    published: dict[str, int | None],
    truth: dict[str, int],
    relations: list[tuple[str, list[str]]],
    labels: Bounds | None = None,
) -> None:
    """Independent audit of one output: every hidden figure of a group under K has min < max over
    all non-negative integer-relaxed tables that agree with what is printed (labels: a hidden
    true value under K is printed "fewer than K" = 1..K-1, any other hidden one "withheld" = >= K;
    `unknown` cells — never printed — are free; `labels` replaces the printed labels where an output
    prints none). The hidden part of a printed total is 0 or >= K."""
    hidden = [name for name, v in published.items() if v is None]
    pos = {name: i for i, name in enumerate(hidden)}
    a, b = [], []
    for total, parts in relations:
        row = np.zeros(len(hidden))
        known = 0.0
        for name, sign in [(total, -1.0), *[(p, 1.0) for p in parts]]:
            if name in pos:
                row[pos[name]] += sign
            else:
                known += sign * truth[name]
        a.append(row)
        b.append(-known)
        if total not in pos:
            rest = sum(truth[p] for p in parts if p in pos)
            assert rest == 0 or rest >= K or any(p.startswith("unknown") for p in parts if p in pos), (total, rest)
    bounds = [
        labels[name]
        if labels is not None and name in labels
        else (0, None)
        if name.startswith("unknown")
        else ((1, K - 1) if 0 < truth[name] < K else (K, None))
        for name in hidden
    ]
    for name in hidden:
        if not 0 < truth[name] < K or name == "waiting":  # responses not yet released: a helper
            continue
        obj = np.zeros(len(hidden))
        obj[pos[name]] = 1
        lo = linprog(obj, A_eq=np.array(a), b_eq=np.array(b), bounds=bounds, method="highs")
        hi = linprog(-obj, A_eq=np.array(a), b_eq=np.array(b), bounds=bounds, method="highs")
        high = np.inf if hi.status == 3 else -hi.fun
        assert high - lo.fun >= 1 - 1e-9, (name, lo.fun, high, published)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.lists(st.integers(0, 14), min_size=1, max_size=4),
    st.lists(st.integers(0, 14), min_size=1, max_size=6),
    st.integers(0, 6),
)
def test_every_report_count_table_protects_small_groups(
    campaigns: list[int], schools: list[int], without_school: int
) -> None:
    """Random campaigns and schools of a teacher survey: the report's fieldwork and response-rate
    tables with the survey total (also published by the evaluation) isolate no group under K."""
    from pmp_surveys.reports.disclosure import protect_section
    from pmp_surveys.reports.model import CampaignInfo, Label, SchoolRateRow, SurveySection

    everyone = sum(schools) + without_school
    released = everyone if everyone < K else everyone // K * K  # the release rule
    # the campaigns share out the same responses
    split = [c * everyone // max(sum(campaigns), 1) for c in campaigns]
    split[-1] += everyone - sum(split)
    section = SurveySection(
        instrument="teacher-self-efficacy",
        title=Label("x", "x"),
        wave=2026,
        campaigns=tuple(
            CampaignInfo(
                id=i, slug=f"c{i}", title="t", status="open", opens_at=None, closes_at=None, responses=n, demo=False
            )
            for i, n in enumerate(split)
        ),
        responses=released,
        suppressed=released < K,
        rates=tuple(
            SchoolRateRow(code=f"s{i}", name=f"s{i}", teachers=30, responses=n, rate=n / 30)
            for i, n in enumerate(schools)
        ),
        reliability=(),
        designs=(),
        nonresponse=(),
        distributions=(),
    )
    out = protect_section(section, K)
    truth = {"total": released, "unknown": without_school, "unknown_all": everyone, "waiting": everyone - released}
    truth |= {f"c{i}": n for i, n in enumerate(split)} | {f"s{i}": n for i, n in enumerate(schools)}
    published: dict[str, int | None] = {"total": out.responses, "unknown": None, "unknown_all": None, "waiting": None}
    published |= {c.slug: c.responses for c in out.campaigns}
    published |= {r.code: r.responses for r in out.rates or ()}
    for r in out.rates or ():
        assert (r.rate is None) == (r.responses is None)
    relations = [("unknown_all", ["total", "waiting"]), ("unknown_all", [f"c{i}" for i in range(len(split))])]
    relations.append(("unknown_all", [f"s{i}" for i in range(len(schools))] + ["unknown"]))
    if released < K:
        assert all(v is None for name, v in published.items() if truth[name] > 0)
        return
    _check_output(published, truth, relations, {"waiting": (0, K - 1)})


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8), st.integers(0, 8)), min_size=1, max_size=4))
def test_evaluation_counts_protect_small_groups(rows: list[tuple[int, int, int]]) -> None:
    """Random indicators of one survey (n, excluded, blank with n + excluded + blank = the wave's
    total): the published counts (JSON/CSV of the evaluation API) isolate no group under K."""
    from pmp_surveys.indicators.disclosure import protect_counts
    from pmp_surveys.indicators.schemas import IndicatorResult

    total = max(n + e + b for n, e, b in rows)
    fields = IndicatorResult.__struct_fields__
    base = {f: None for f in fields} | {
        "code": "X",
        "name": "x",
        "name_lv": "x",
        "kind": "survey",
        "source": "survey",
        "direction": "rise",
        "instrument": "i",
        "wave": 2026,
        "baseline_source": "none",
        "comparison": "none",
        "verdict": "no_target",
        "suppressed": False,
        "baseline_suppressed": False,
        "notes": (),
        "note_codes": (),
    }
    results = []
    truth: dict[str, int] = {"total": total}
    relations: list[tuple[str, list[str]]] = []
    for i, (n, e, b) in enumerate(rows):
        blank = b + (total - n - e - b)  # every indicator accounts for the whole wave
        small = n < K
        results.append(
            IndicatorResult(
                **(
                    base
                    | {
                        "code": f"X{i}",
                        "n": None if small else n,
                        "n_excluded": None if small else e,
                        "n_blank": None if small else blank,
                        "n_set_aside": None if small else e + blank,
                        "suppressed": small,
                    }
                )
            )
        )
        truth |= {f"n{i}": n, f"e{i}": e, f"b{i}": blank, f"s{i}": e + blank}
        relations += [(f"s{i}", [f"e{i}", f"b{i}"]), ("total", [f"n{i}", f"s{i}"])]
    out, _ = protect_counts(tuple(results), (), {"i": total}, K)
    published: dict[str, int | None] = {"total": total if total >= K else None}
    for i, r in enumerate(out):
        published |= {f"n{i}": r.n, f"e{i}": r.n_excluded, f"b{i}": r.n_blank, f"s{i}": r.n_set_aside}
    if total < K:
        return
    # the JSON prints null without a label; "suppressed": true says n < K
    labels: Bounds = {name: (0, None) for name in published}
    labels |= {f"n{i}": (0, K - 1) for i, r in enumerate(out) if r.suppressed}
    _check_output(published, truth, relations, labels)
