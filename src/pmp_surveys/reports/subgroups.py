"""The subgroup table of a survey section: each indicator by programme / district / role /
experience, with intervals, suppression and the Rao–Scott test of difference (see
:mod:`pmp_surveys.indicators.subgroups`)."""

from __future__ import annotations

from pmp_surveys.reports.model import Report, SurveySection
from pmp_surveys.reports.strings import Strings
from pmp_surveys.reports.tables import EMPTY, SUPPRESSED, Cell, Column, Table

__all__ = ["subgroups_table"]

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Rādītāji pa grupām", "Indicators by group"),
    "sheet": ("Grupas", "Groups"),
    "grouping": ("Grupējums", "Grouping"),
    "group": ("Grupa", "Group"),
    "test": ("Vai grupas atšķiras? p vērtība", "Do the groups differ? p-value"),
    "note": (
        "Daļa katrā grupā ar {cl} ticamības intervālu; p vērtība — Pīrsona χ² ar Rao–Skota korekciju "
        "(izlases dizains ņemts vērā), salīdzinot parādītās grupas. Grupām, kurās mazāk par {threshold} atbildēm, "
        "skaitļi netiek rādīti.",
        "Share in each group with its {cl} confidence interval; p-value: Pearson's χ² with the Rao–Scott "
        "correction (the survey design taken into account), comparing the groups shown. Groups of fewer "
        "than {threshold} responses show no figure.",
    ),
}


def _w(t: Strings, key: str, **fields: object) -> str:
    text = _WORDS[key][0 if t.lang == "lv" else 1]
    return text.format(**fields) if fields else text


def subgroups_table(section: SurveySection, report: Report, t: Strings) -> Table | None:
    """The section's subgroup table, or None when it has none."""
    tables = [s for s in report.subgroups if s.instrument == section.instrument]
    if not tables or section.suppressed:
        return None
    rows: list[tuple[Cell, ...]] = []
    for s in tables:
        grouping = s.grouping_lv if t.lang == "lv" else s.grouping_en
        for i, r in enumerate(s.rows):
            first = i == 0
            rows.append(
                (
                    Cell(value=s.indicator if first else ""),
                    Cell(value=grouping if first else ""),
                    Cell(value=r.label_lv if t.lang == "lv" else r.label_en),
                    SUPPRESSED if r.suppressed else Cell(value=r.value, low=r.ci_low, high=r.ci_high),
                    SUPPRESSED if r.suppressed else Cell(value=r.n),
                    Cell(value=s.test_p_value) if first and s.test_p_value is not None else EMPTY,
                )
            )
    prefix = t(f"short_{section.instrument}") + " " if t.has(f"short_{section.instrument}") else ""
    return Table(
        id=f"{section.instrument}.subgroups",
        sheet=(prefix + _w(t, "sheet"))[:31],
        title=f"{section.title.get(t.lang)}: {_w(t, 'title')}",
        columns=(
            Column("code", t("col_code"), "text"),
            Column("grouping", _w(t, "grouping"), "text", wide=True),
            Column("group", _w(t, "group"), "text", wide=True),
            Column("value", t("col_value", wave=report.wave), "interval"),
            Column("n", t("col_n"), "int"),
            Column("p", _w(t, "test"), "pvalue"),
        ),
        rows=tuple(rows),
        note=_w(t, "note", cl=f"{round(report.evaluation.confidence_level * 100)}%", threshold=report.threshold),
    )
