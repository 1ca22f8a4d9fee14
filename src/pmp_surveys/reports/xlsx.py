"""The XLSX workbook: the report's tables, one sheet each, plus an "About" sheet with the methods.

Numbers are stored as numbers: shares as fractions with a percentage format, changes in
percentage points, p-values and alphas as decimals. A suppressed cell holds the words
"fewer than N responses", never a number. Each sheet: a title row, a frozen header row,
column widths fitted to the content, an autofilter.
"""

from __future__ import annotations

import io
import re
from typing import Any

import xlsxwriter

from pmp_surveys.reports.methods import used_methods
from pmp_surveys.reports.model import Report
from pmp_surveys.reports.plain import plain_summary
from pmp_surveys.reports.strings import ReportLang, Strings
from pmp_surveys.reports.tables import Cell, Column, Table, report_tables

__all__ = ["expand_columns", "render_xlsx"]

_BAD = re.compile(r"[\[\]:*?/\\]")


def expand_columns(column: Column, t: Strings) -> list[str]:
    """The XLSX header(s) of one report column."""
    if column.kind in ("interval", "decimal_interval", "signed_interval", "change"):
        return [column.title, f"{column.title} — {t('low')}", f"{column.title} — {t('high')}"]
    if column.kind == "target":
        return [f"{t('target')} (≥ / ≤ / <)", t("target"), t("target_year")]
    return [column.title]


def _sheet_name(name: str, used: set[str]) -> str:
    base = _BAD.sub("-", name)[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" {n}"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


class _Formats:
    def __init__(self, book: Any) -> None:
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.header = book.add_format(
            {"bold": True, "bg_color": "#E9ECEF", "bottom": 2, "text_wrap": True, "valign": "top"}
        )
        self.text = book.add_format({"valign": "top"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.int = book.add_format({"num_format": "0", "valign": "top"})
        self.percent = book.add_format({"num_format": "0.0%", "valign": "top"})
        self.percent_fine = book.add_format({"num_format": "0.00%", "valign": "top"})
        self.points = book.add_format({"num_format": "+0.0;-0.0;0.0", "valign": "top"})
        self.decimal = book.add_format({"num_format": "0.00", "valign": "top"})
        self.signed = book.add_format({"num_format": "+0.00;-0.00;0.00", "valign": "top"})
        self.pvalue = book.add_format({"num_format": "0.0000", "valign": "top"})
        self.suppressed = book.add_format({"italic": True, "font_color": "#444444", "valign": "top"})
        self.good = book.add_format({"bold": True, "font_color": "#1B7A3A", "valign": "top"})
        self.bad = book.add_format({"bold": True, "font_color": "#B3261E", "valign": "top"})
        self.unsure = book.add_format({"bold": True, "font_color": "#9A5B00", "valign": "top"})
        self.none = book.add_format({"font_color": "#5F6368", "valign": "top"})
        self.note = book.add_format({"italic": True, "font_color": "#5F6368"})


def _percent_format(f: _Formats, value: float | None) -> Any:
    return f.percent_fine if value is not None and 0 < abs(value) < 0.01 else f.percent


def _values(cell: Cell, column: Column, f: _Formats, t: Strings, threshold: int) -> list[tuple[Any, Any]]:
    """(value, format) for each XLSX column of one report cell."""
    width = len(expand_columns(column, t))
    if cell.suppressed and column.kind != "verdict":
        text = t("withheld") if cell.withheld else t.suppressed(threshold)
        return [(text, f.suppressed)] + [(None, f.text)] * (width - 1)
    kind = column.kind
    v = cell.value
    if kind == "verdict":
        return [(v, getattr(f, cell.tone or "none"))]
    if kind == "text":
        return [(v, f.wrap if column.wide else f.text)]
    if kind == "int":
        return [(v, f.int)]
    if kind == "percent":
        return [(v, _percent_format(f, v if isinstance(v, float) else None))]
    if kind == "pvalue":
        return [(v, f.pvalue)]
    if kind == "decimal":
        return [(v, f.decimal)]
    if kind == "interval":
        fmt = _percent_format(f, min((x for x in (v, cell.low) if isinstance(x, float)), default=None))
        return [(v, fmt), (cell.low, fmt), (cell.high, fmt)]
    if kind == "decimal_interval":
        return [(v, f.decimal), (cell.low, f.decimal), (cell.high, f.decimal)]
    if kind == "signed_interval":
        return [(v, f.signed), (cell.low, f.signed), (cell.high, f.signed)]
    if kind == "change":

        def pp(x: float | int | str | None) -> float | None:
            return None if not isinstance(x, float | int) else float(x) * 100.0

        return [(pp(v), f.points), (pp(cell.low), f.points), (pp(cell.high), f.points)]
    if kind == "target":
        share = v if isinstance(v, float) else None
        return [(cell.op if v is not None else None, f.text), (v, _percent_format(f, share)), (cell.year, f.int)]
    return [(v, f.text)]


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return 8
    return len(str(value))


def _write_table(book: Any, sheet_name: str, table: Table, f: _Formats, t: Strings, threshold: int) -> None:
    sheet = book.add_worksheet(sheet_name)
    headers = [h for column in table.columns for h in expand_columns(column, t)]
    sheet.write(0, 0, table.title, f.title)
    widths = [min(max(len(h), 8), 24) for h in headers]
    for c, h in enumerate(headers):
        sheet.write(1, c, h, f.header)
    for r, row in enumerate(table.rows, start=2):
        c = 0
        for cell, column in zip(row, table.columns, strict=True):
            for value, fmt in _values(cell, column, f, t, threshold):
                if value is None:
                    sheet.write_blank(r, c, None, fmt)
                else:
                    sheet.write(r, c, value, fmt)
                widths[c] = max(widths[c], min(_display_width(value) + 2, 60 if column.wide else 40))
                c += 1
    if table.note:
        sheet.write(len(table.rows) + 3, 0, table.note, f.note)
    for c, w in enumerate(widths):
        sheet.set_column(c, c, w)
    sheet.freeze_panes(2, 0)
    if table.rows:
        sheet.autofilter(1, 0, 1 + len(table.rows), len(headers) - 1)


def _plain(book: Any, name: str, report: Report, t: Strings, f: _Formats) -> None:
    """The council's summary (the HTML report's first page): counts, then one sentence per indicator."""
    plain = plain_summary(report, t)
    sheet = book.add_worksheet(name)
    sheet.write(0, 0, plain.title, f.title)
    sheet.write(2, 1, plain.counts, f.wrap)
    for i, (code, sentence) in enumerate(plain.sentences, start=4):
        sheet.write(i, 0, code, f.header)
        sheet.write(i, 1, sentence, f.wrap)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 130)


def _about(book: Any, name: str, report: Report, t: Strings, f: _Formats) -> None:
    sheet = book.add_worksheet(name)
    ev = report.evaluation
    lang = t.lang
    if report.baseline is None:
        baseline = t("baseline_auto")
    elif report.baseline == "plan":
        baseline = t("baseline_plan")
    elif report.baseline == "published":
        baseline = t("baseline_published")
    else:
        baseline = str(report.baseline)
    rows: list[tuple[str, str]] = []
    if report.demo:
        rows.append((t("data_kind"), t("demo_banner")))
    rows += [
        (t("report_title"), f"{report.municipality_name.get(lang)} {report.wave}"),
        (t("municipality"), report.municipality_name.get(lang)),
        (t("plan"), report.plan_title.get(lang)),
        (t("wave"), str(report.wave)),
        (t("baseline_requested"), baseline),
        (t("generated"), report.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
        (t("confidence"), t.percent(ev.confidence_level, 0)),
        (t("suppression"), t.suppressed(report.threshold)),
        (t("format_version"), ev.format_version),
    ]
    methods = used_methods(report, t)
    sheet.write(0, 0, t("about"), f.title)
    r = 2
    for key, value in rows:
        sheet.write(r, 0, key, f.header)
        sheet.write(r, 1, value, f.wrap)
        r += 1
    r += 1
    sheet.write(r, 0, t("methods"), f.title)
    r += 1
    for i, line in enumerate(methods.lines, start=1):
        sheet.write(r, 0, f"{i}.", f.header)  # the method's key is English: a number in every language
        sheet.write(r, 1, line.text if not line.technical else f"{line.text}\n{line.technical}", f.wrap)
        r += 1
    r += 1
    sheet.write(r, 0, t("references"), f.title)
    r += 1
    for ref in methods.references:
        sheet.write(r, 1, ref, f.wrap)
        r += 1
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 110)
    sheet.freeze_panes(1, 0)


def render_xlsx(report: Report, lang: ReportLang) -> bytes:
    """The workbook as bytes: one sheet per table of the HTML report, then "About"."""
    t = Strings(lang)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    f = _Formats(book)
    used: set[str] = set()
    for table in report_tables(report, t):
        _write_table(book, _sheet_name(table.sheet, used), table, f, t, report.threshold)
    _plain(book, _sheet_name(plain_summary(report, t).title, used), report, t, f)
    _about(book, _sheet_name(t("table_about"), used), report, t, f)
    title = f"{t('report_title')} {report.municipality} {report.wave}"
    book.set_properties({"title": title, "comments": "pmp-surveys"})
    book.close()
    return buffer.getvalue()
