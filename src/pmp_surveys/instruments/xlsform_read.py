"""Reading an XLSForm workbook for :mod:`.xlsform_import`: sheets as rows of text, and the
multilingual texts (``label::Latviešu (lv)``) with their problems (PMP175/176).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import openpyxl

from .definition import LANGUAGES, Lang
from .errors import DefinitionProblem, ProblemKind, Problems
from .xlsform_format import SETTINGS, language_of


@dataclass
class Cells:
    """One sheet as rows of column → text, with 1-based row numbers as Excel shows them."""

    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheets(data: bytes) -> dict[str, Cells]:
    """Every sheet of the workbook (sheet and column names lower-cased, as pyxform reads them)."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets: dict[str, Cells] = {}
    for ws in book.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if not rows:
            continue
        header = [_text(h) for h in rows[0]]
        keys = [
            h.split("::")[0].strip().lower() + ("::" + h.split("::", 1)[1].strip() if "::" in h else "") for h in header
        ]
        body = []
        for n, row in enumerate(rows[1:], start=2):
            cells = {k: _text(v) for k, v in zip(keys, row, strict=False) if k and _text(v)}
            if cells:
                body.append((n, cells))
        sheets[ws.title.strip().lower()] = Cells(ws.title, [k for k in keys if k], body)
    book.close()
    return sheets


class Reader:
    """Turns the sheets into the raw instrument dict, collecting problems and warnings."""

    def __init__(self, sheets: dict[str, Cells], file: str, fill_from: Lang | None) -> None:
        self.sheets = sheets
        self.file = file
        self.fill_from = fill_from
        self.problems: list[DefinitionProblem] = []
        self.warnings: list[DefinitionProblem] = []
        self.question_rows: list[int] = []
        self.default_lang: Lang | None = None
        settings = sheets.get(SETTINGS)
        self.settings = settings.rows[0][1] if settings and settings.rows else {}
        if self.settings.get("default_language"):
            self.default_lang = language_of(self.settings["default_language"])
        self.missing_reported: set[tuple[str, str, Lang]] = set()
        self.filled: set[tuple[str, Lang]] = set()
        self._cache: dict[tuple[str, str], dict[str, Lang]] = {}

    def problem(self, kind: ProblemKind, sheet: str, row: int | None, col: str | None, **params: Any) -> None:
        self.problems.append(DefinitionProblem.make(kind, self.file, _where(sheet, row, col), **params))

    def warn(self, sheet: str, row: int | None, col: str | None, detail: str) -> None:
        self.warnings.append(
            DefinitionProblem.make(Problems.XLSFORM_DROPPED, self.file, _where(sheet, row, col), detail=detail)
        )

    # -- texts ---------------------------------------------------------------------------------

    def languages(self, sheet: Cells, base: str) -> dict[str, Lang]:
        """Column → language for the columns `base` / `base::LANG` of `sheet` (reporting unknown ones)."""
        found: dict[str, Lang] = {}
        for col in sheet.columns:
            if col == base:
                lang = self.default_lang or "lv"
            elif col.startswith(base + "::"):
                lang_or_none = language_of(col.split("::", 1)[1])
                if lang_or_none is None:
                    self.problem(Problems.XLSFORM_LANGUAGE, sheet.name, 1, col, column=col)
                    continue
                lang = lang_or_none
            else:
                continue
            found[col] = lang
        return found

    def text(
        self, sheet: Cells, row: int, cells: dict[str, str], base: str, *, required: bool
    ) -> dict[str, str] | None:
        cols = self.languages_cache(sheet, base)
        values: dict[str, str] = {}
        for col, lang in cols.items():
            if cells.get(col):
                values[lang] = cells[col]
        if not values:
            if required:
                for lang in LANGUAGES:
                    self._missing(sheet, row, base, lang)
            return None
        for lang in LANGUAGES:
            if lang in values:
                continue
            if self.fill_from and self.fill_from in values:
                values[lang] = values[self.fill_from]
                self.filled.add((base, lang))
            else:
                self._missing(sheet, row, base, lang)
        return values

    def _missing(self, sheet: Cells, row: int, base: str, lang: Lang) -> None:
        has_column = lang in self.languages_cache(sheet, base).values()
        key = (sheet.name, base, lang)
        if not has_column and key in self.missing_reported:
            return  # one problem per absent column, not one per row
        self.missing_reported.add(key)
        col = f"{base}::{lang}"
        self.problem(
            Problems.XLSFORM_MISSING_LANGUAGE, sheet.name, row if has_column else 1, col, lang=lang, column=col
        )

    def languages_cache(self, sheet: Cells, base: str) -> dict[str, Lang]:
        key = (sheet.name, base)
        if key not in self._cache:
            self._cache[key] = self.languages(sheet, base)
        return self._cache[key]


def _where(sheet: str, row: int | None, col: str | None) -> str:
    """``survey row 7, column relevant`` (the row as Excel numbers it)."""
    parts = [sheet]
    if row is not None:
        parts.append(f"row {row}")
    text = " ".join(parts)
    return f"{text}, column {col}" if col else text
