"""Reading another tool's submissions into a table of text cells, and the mapping file.

* CSV (KoboToolbox, ODK Central, LimeSurvey, any spreadsheet): UTF-8 (with or without a BOM),
  else Windows-1257 (Baltic Excel); the delimiter (``,`` ``;`` or tab) is sniffed.
* XLSX: the first sheet, through openpyxl.
* SPSS ``.sav`` (LimeSurvey, or our own export): through pyreadstat; cells are the stored codes.

Cells are stripped text ("" = blank); whole numbers read as floats (``4.0``) become ``4``.
Rows are numbered as a person sees them in the file: the header is row 1, so the first answer is
row 2 (in a ``.sav``, row 2 is case 1).
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import msgspec

SourceKind = Literal["kobo", "odk", "limesurvey", "spreadsheet"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("kobo", "odk", "limesurvey", "spreadsheet")


class ImportMapping(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """How a file's columns and values map to the instrument (a TOML or JSON file).

    ``columns``: source column → question id, ``QUESTION__OPTION`` (a 0/1 column per option of a
    multiple-choice question), ``school`` (a school code), ``instance_id`` (the submission's
    unique id), ``submitted`` (its date or timestamp: only the day is kept), or ``""`` to drop it.
    ``values``: question id (or ``"*"`` for every question) → source value → option value,
    likert point or ``"dont_know"``. ``ticked``: what counts as ticked in a per-option column.
    """

    columns: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    ticked: list[str] = msgspec.field(default_factory=lambda: ["1", "y", "yes", "true", "jā", "x"])


@dataclass(frozen=True)
class Table:
    """A file's columns and rows of text cells; `first_row` is the number of the first data row."""

    columns: list[str]
    rows: list[list[str]]
    first_row: int = 2


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN: a missing value in a .sav
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1257")


def read_csv(data: bytes) -> Table:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        return Table([], [])
    header = [h.strip() for h in rows[0]]
    body = [[c.strip() for c in row] + [""] * (len(header) - len(row)) for row in rows[1:]]
    return Table(header, [row[: len(header)] for row in body if any(row)])


def read_xlsx(data: bytes) -> Table:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ws = book.worksheets[0]
    rows = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    book.close()
    if not rows:
        return Table([], [])
    header = rows[0]
    return Table(header, [row for row in rows[1:] if any(row)])


def read_sav(data: bytes) -> Table:
    import pyreadstat

    with tempfile.NamedTemporaryFile(suffix=".sav") as tmp:
        tmp.write(data)
        tmp.flush()
        frame, _ = pyreadstat.read_sav(tmp.name, output_format="dict")
    columns = list(frame)
    n = len(frame[columns[0]]) if columns else 0
    return Table(columns, [[cell_text(frame[c][i]) for c in columns] for i in range(n)])


def read_table(data: bytes, name: str) -> Table:
    """The table in `data`, by the file name's extension (.csv, .xlsx, .sav); ValueError otherwise."""
    suffix = Path(name).suffix.lower()
    if suffix in (".csv", ".txt"):
        return read_csv(data)
    if suffix == ".xlsx":
        return read_xlsx(data)
    if suffix == ".sav":
        return read_sav(data)
    raise ValueError(f"{name}: use a .csv, .xlsx or .sav file")


def read_mapping(data: bytes, name: str) -> ImportMapping:
    """A mapping file (.toml or .json); msgspec.ValidationError / DecodeError when it is malformed."""
    if Path(name).suffix.lower() == ".json":
        return msgspec.json.decode(data, type=ImportMapping)
    return msgspec.toml.decode(data, type=ImportMapping)
