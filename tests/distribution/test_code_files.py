"""The coordinators' code files open right in Excel with a Latvian locale, and carry no formulas."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import openpyxl

from pmp_surveys.distribution.sheets import codes_csv, codes_xlsx

CAMPAIGN = SimpleNamespace(slug="teachers-2026", title='=HYPERLINK("http://x";"klikšķini")')
SCHOOL = SimpleNamespace(name="Bauskas Valsts ģimnāzija;=1+1", code="bvg")
CODES = ["ABCD-EFGH-JK", "MNPQ-RSTU-VW"]


def test_codes_csv_has_a_bom_and_defuses_semicolon_formulas() -> None:
    data = codes_csv(CODES, CAMPAIGN, SCHOOL, "https://aptauja.example.lv").encode()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the byte-order mark
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["code", "link", "school", "survey"]
    assert rows[1][2] == "Bauskas Valsts ģimnāzija;'=1+1"  # a ';'-splitting Excel gets no formula either
    assert rows[1][3].startswith("'=HYPERLINK")


def test_codes_xlsx_keeps_text_as_text() -> None:
    book = openpyxl.load_workbook(io.BytesIO(codes_xlsx(CODES, CAMPAIGN, SCHOOL, "https://aptauja.example.lv")))
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("code", "link", "school", "survey")
    assert rows[1] == ("ABCD-EFGH-JK", "https://aptauja.example.lv/s/teachers-2026", SCHOOL.name, CAMPAIGN.title)
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row)  # never "f" (formula)
