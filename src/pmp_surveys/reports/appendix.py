"""The appendix table of tests: p-values, their Holm and Benjamini–Hochberg adjustments and the
names of the tests, per indicator (issue #11: these belong in the appendix and the XLSX, not in
the summary a council reads first).

Raw numbers from the evaluation (``change_p_value``, ``change_p_holm``, ``change_p_bh``,
``verdict_p_value``, ``verdict_p_holm``, ``verdict_p_bh``); a suppressed indicator has none.
"""

from __future__ import annotations

from pmp_surveys.reports.model import Report
from pmp_surveys.reports.strings import Strings
from pmp_surveys.reports.tables import EMPTY, SUPPRESSED, Cell, Column, Table

__all__ = ["tests_table"]


def _p(value: float | None, suppressed: bool) -> Cell:
    return SUPPRESSED if suppressed else (EMPTY if value is None else Cell(value=value))


def tests_table(report: Report, t: Strings) -> Table:
    """One row per indicator: the change's test and p-values, the target test and p-values."""
    rows = []
    for r in report.evaluation.indicators:
        comparison = t(f"comparison_{r.comparison}")
        if r.change_method and r.comparison != "none":
            comparison += f" ({t.method(r.change_method)})"
        rows.append(
            (
                Cell(value=r.code),
                Cell(value=comparison),
                _p(r.change_p_value, r.suppressed),
                _p(r.change_p_holm, r.suppressed),
                _p(r.change_p_bh, r.suppressed),
                Cell(value=t.method(r.verdict_test) if r.verdict_test else "—"),
                _p(r.verdict_p_value, r.suppressed),
                _p(r.verdict_p_holm, r.suppressed),
                _p(r.verdict_p_bh, r.suppressed),
            )
        )
    return Table(
        id="tests",
        sheet=t("table_tests"),
        title=t("tests_title"),
        columns=(
            Column("code", t("col_code"), "text"),
            Column("comparison", t("col_comparison"), "text", wide=True),
            Column("change_p", t("col_change_p"), "pvalue"),
            Column("change_holm", t("col_holm"), "pvalue"),
            Column("change_bh", t("col_bh"), "pvalue"),
            Column("verdict_test", t("col_verdict_test"), "text", wide=True),
            Column("verdict_p", t("col_verdict_p"), "pvalue"),
            Column("verdict_holm", t("col_holm"), "pvalue"),
            Column("verdict_bh", t("col_bh"), "pvalue"),
        ),
        rows=tuple(rows),
        note=t("tests_intro"),
    )
