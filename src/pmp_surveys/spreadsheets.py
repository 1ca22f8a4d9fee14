"""Files a person opens in a spreadsheet: CSV with a byte-order mark and defused formulas, XLSX.

Spreadsheet safety belongs to spreadsheet formats only (CSV and XLSX); `.sav`, `.dta` and
`.parquet` carry the analyst's data unchanged.

* CSV: UTF-8 with a byte-order mark, so Excel in a Latvian locale reads "ģimnāzija" and not
  "Ä£imnÄ�zija" (Excel picks the ANSI code page for a CSV without one). Text cells that a
  spreadsheet would run as a formula are defused with a leading ``'`` — the cell itself when it
  starts with ``= + - @``, a tab or a CR, and also every part after a ``;`` that starts so, since
  an Excel whose list separator is ``;`` (Latvian, Russian, …) splits an unquoted ``a;=1+1`` into
  two cells, the second a formula. Numbers are never touched (``-5`` stays a number).
* XLSX: cells are typed, so nothing is prefixed; the workbook is opened with xlsxwriter's
  ``strings_to_formulas``, ``strings_to_numbers`` and ``strings_to_urls`` all off, so a text
  starting with ``=`` is stored as text, never as a live formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

import xlsxwriter

BOM = "\ufeff"
#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_AFTER_SEMICOLON = re.compile(r";([ ]*)(?=[=+\-@\t\r])")

#: xlsxwriter options for every workbook a person reads: text stays text.
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "nan_inf_to_errors": True,
}

Cell = str | int | float | bool | None


def defuse(value: str) -> str:
    """The text with every part a spreadsheet would read as a formula prefixed with ``'``.

    >>> defuse("=1+1"), defuse("a;=1+1"), defuse("1 = 1"), defuse("")
    ("'=1+1", "a;'=1+1", '1 = 1', '')
    """
    if ";" in value:
        value = _AFTER_SEMICOLON.sub(lambda m: f";{m.group(1)}'", value)
    return "'" + value if value[:1] in FORMULA_START else value


def defuse_cell(value: Cell) -> Cell:
    """`defuse` for text; numbers, booleans and None unchanged."""
    return defuse(value) if isinstance(value, str) else value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, bom: bool = True, crlf: bool = False) -> str:
    """A comma-separated file with a header; every text cell defused, None written empty."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    writer.writerow([defuse(h) for h in header])
    writer.writerows([defuse_cell(c) for c in row] for row in rows)
    return (BOM if bom else "") + buf.getvalue()


class Sheet:
    """One worksheet: a name (≤ 31 characters), a header row and data rows (text stays text)."""

    def __init__(self, name: str, header: Sequence[str], rows: Iterable[Sequence[Cell]], widths: Sequence[int] = ()):
        self.name = name[:31]
        self.header = list(header)
        self.rows = rows
        self.widths = list(widths)


def xlsx_bytes(sheets: Sequence[Sheet], *, title: str = "") -> bytes:
    """A workbook with one worksheet per `Sheet`: bold, frozen header row; no formulas, ever."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    bold = book.add_format({"bold": True, "bg_color": "#EEEEEE"})
    for s in sheets:
        ws = book.add_worksheet(s.name)
        for c, h in enumerate(s.header):
            ws.write_string(0, c, h, bold)
        for r, row in enumerate(s.rows, 1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                else:
                    ws.write_number(r, c, value)
        for c, width in enumerate(s.widths):
            ws.set_column(c, c, width)
        ws.freeze_panes(1, 0)
    if title:
        book.set_properties({"title": title, "comments": "pmp-surveys"})
    book.close()
    return buffer.getvalue()
