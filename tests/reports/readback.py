"""Read the report's outputs back for comparison: HTML tables by regex, XLSX by zipfile + XML."""

from __future__ import annotations

import re
import zipfile
from html import unescape
from io import BytesIO
from typing import Any
from xml.etree import ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}

_TABLE = re.compile(r'<table[^>]*data-table="(?P<id>[^"]+)"[^>]*>(?P<body>.*?)</table>', re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r'<td data-col="(?P<col>[^"]+)"[^>]*>(?P<html>.*?)</td>', re.S)
_TAG = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"[+−-]?\d+(?:[.,]\d+)?")


def text_of(fragment: str) -> str:
    return " ".join(unescape(_TAG.sub(" ", fragment)).split())


def html_tables(html: str) -> dict[str, list[dict[str, str]]]:
    """table id → rows, each {column key: visible text}."""
    tables: dict[str, list[dict[str, str]]] = {}
    for match in _TABLE.finditer(html):
        body = match.group("body")
        rows = []
        for row in _ROW.findall(body.split("<tbody>", 1)[-1]):
            cells = {c.group("col"): text_of(c.group("html")) for c in _CELL.finditer(row)}
            if cells:
                rows.append(cells)
        tables[match.group("id")] = rows
    return tables


def numbers_in(text: str) -> list[float]:
    """Every number shown in a cell (decimal comma or point, Unicode minus), in order."""
    return [float(n.replace("−", "-").replace(",", ".")) for n in _NUMBER.findall(text)]


def _col_index(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref)
    assert letters
    n = 0
    for ch in letters.group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def xlsx_sheets(data: bytes) -> dict[str, list[list[Any]]]:
    """sheet name → rows of cell values (numbers as float, strings as str, blanks as None)."""
    book = zipfile.ZipFile(BytesIO(data))
    shared: list[str] = []
    if "xl/sharedStrings.xml" in book.namelist():
        root = ET.fromstring(book.read("xl/sharedStrings.xml"))
        for si in root.findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    sheets: dict[str, list[list[Any]]] = {}
    for sheet in workbook.find("m:sheets", NS) or []:
        name = sheet.get("name")
        target = targets[sheet.get(f"{{{NS['r']}}}id")]
        assert name and target
        path = target if target.startswith("xl/") else f"xl/{target.lstrip('/')}"
        root = ET.fromstring(book.read(path))
        rows: list[list[Any]] = []
        for row in root.iter(f"{{{NS['m']}}}row"):
            r = int(row.get("r") or 0) - 1
            while len(rows) <= r:
                rows.append([])
            values = rows[r]
            for c in row.findall("m:c", NS):
                i = _col_index(c.get("r") or "A")
                while len(values) <= i:
                    values.append(None)
                v = c.find("m:v", NS)
                kind = c.get("t")
                if v is None:
                    inline = c.find("m:is", NS)
                    values[i] = "".join(t.text or "" for t in inline.iter(f"{{{NS['m']}}}t")) if inline else None
                elif kind == "s":
                    values[i] = shared[int(v.text or 0)]
                elif kind in ("str", "inlineStr"):
                    values[i] = v.text
                elif kind == "b":
                    values[i] = v.text == "1"
                else:
                    values[i] = float(v.text or "nan")
        sheets[name] = rows
    return sheets


def xlsx_pane(data: bytes, sheet_index: int = 1) -> str | None:
    """The frozen pane's top-left cell of a sheet (e.g. "A3"), or None."""
    book = zipfile.ZipFile(BytesIO(data))
    root = ET.fromstring(book.read(f"xl/worksheets/sheet{sheet_index}.xml"))
    pane = root.find(".//m:pane", NS)
    return None if pane is None else pane.get("topLeftCell")


def table_rows(sheet: list[list[Any]]) -> list[list[Any]]:
    """The data rows of a report sheet: after the title and header rows, up to the first empty row."""
    rows = []
    for row in sheet[2:]:
        if not any(v is not None for v in row):
            break
        rows.append(row)
    return rows
