"""Uploaded tables as CSV text: XLSX/XLS/ODS workbooks (first sheet, read with python-calamine)
become comma-separated text for the CSV parsers, so the command line and the admin pages share one
parser per format (:func:`pmp_surveys.catalogue.admin_figures.parse_admin_figures`).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from python_calamine import CalamineError, CalamineWorkbook

from pmp_surveys.catalogue.errors import AdminFiguresError, RowProblem

__all__ = ["is_workbook", "table_text"]

#: XLSX/ODS are zip files; XLS is an OLE2 compound file.
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def is_workbook(data: bytes) -> bool:
    return data.startswith(_MAGIC)


def _cell(value: object) -> str:
    """A workbook cell as the text a person would type: 42.0 → "42", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def table_text(data: bytes) -> bytes | str:
    """CSV bytes are returned as they are; a workbook's first sheet becomes CSV text.

    Raises :class:`AdminFiguresError` (code ADM203, row 1) when a workbook cannot be read."""
    if not is_workbook(data):
        return data
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=True)
    except (CalamineError, ValueError, IndexError) as exc:
        raise AdminFiguresError(
            [
                RowProblem(
                    code="ADM203",
                    row=1,
                    column=None,
                    message=f"the workbook cannot be read ({exc}).",
                    fix="Save it again as .xlsx (or as CSV UTF-8) and upload that.",
                )
            ]
        ) from None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
