"""Parse the evaluators' CSV of administrative indicator figures, checked against the catalogue.

Format: UTF-8 (a BOM is accepted), a header row, ``;`` or ``,`` as separator (taken from the header),
columns ``municipality,indicator,year,numerator,denominator`` and optionally ``school`` (any order;
an empty ``school`` means the municipality as a whole). Row numbers in errors are file lines, the
header being row 1. The file is accepted whole or rejected whole with every row problem listed.
Pure: no database, no I/O beyond :func:`read_admin_figures`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import msgspec
import polars as pl

from pmp_surveys.catalogue.errors import AdminFiguresError, RowProblem
from pmp_surveys.catalogue.schema import Catalogue

__all__ = [
    "REQUIRED_COLUMNS",
    "AdminFigure",
    "admin_figures_frame",
    "parse_admin_figures",
    "read_admin_figures",
]

REQUIRED_COLUMNS = ("municipality", "indicator", "year", "numerator", "denominator")
OPTIONAL_COLUMNS = ("school",)
YEAR_MIN, YEAR_MAX = 2000, 2100


class AdminFigure(msgspec.Struct, frozen=True, kw_only=True):
    municipality: str
    indicator: str
    year: int
    numerator: int
    denominator: int
    school: str | None = None
    row: int

    @property
    def value(self) -> float:
        return self.numerator / self.denominator


def read_admin_figures(path: Path, catalogue: Catalogue) -> list[AdminFigure]:
    return parse_admin_figures(Path(path).read_bytes(), catalogue)


def parse_admin_figures(data: bytes | str, catalogue: Catalogue, *, only: str | None = None) -> list[AdminFigure]:
    """Parse and validate; raises :class:`AdminFiguresError` listing every problem.

    `only`: the municipality being edited (an evaluator's upload); a row of another is ADM215."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise AdminFiguresError(
                [_p("ADM200", 1, None, f"the file is not UTF-8 (byte {exc.start}).", "Save it as UTF-8 CSV.")]
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise AdminFiguresError([_p("ADM200", 1, None, "the file is empty or has no header.", _HEADER_FIX)])
    header_line = lines[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    problems: list[RowProblem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    dupes = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or dupes:
        parts = [f"missing {missing}" if missing else "", f"unknown {unknown}" if unknown else ""]
        parts.append(f"repeated {dupes}" if dupes else "")
        raise AdminFiguresError(
            [_p("ADM201", 1, None, "header: " + "; ".join(p for p in parts if p) + ".", _HEADER_FIX)]
        )
    figures: list[AdminFigure] = []
    seen: dict[tuple[str, str, int, str | None], int] = {}
    for row in reader:
        rownum = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                _p(
                    "ADM202",
                    rownum,
                    None,
                    f"{len(row)} fields for {len(header)} columns.",
                    f"Give one value per header column, separated by {delimiter!r}.",
                )
            )
            continue
        cells = {h: c.strip() for h, c in zip(header, row, strict=True)}
        row_problems, figure = _check_row(cells, rownum, catalogue)
        if only is not None and cells["municipality"] != only:
            row_problems.insert(
                0,
                _p(
                    "ADM215",
                    rownum,
                    "municipality",
                    f"{cells['municipality']!r} is not the municipality being edited ({only}).",
                    f"Remove the row, or write {only}.",
                ),
            )
            figure = None
        problems.extend(row_problems)
        if figure is None:
            continue
        key = (figure.municipality, figure.indicator, figure.year, figure.school)
        if key in seen:
            problems.append(
                _p(
                    "ADM230",
                    rownum,
                    None,
                    f"same municipality, indicator, year and school as row {seen[key]}.",
                    "Keep one row per (municipality, indicator, year, school).",
                )
            )
            continue
        seen[key] = rownum
        figures.append(figure)
    if problems:
        raise AdminFiguresError(problems)
    return figures


def admin_figures_frame(figures: Iterable[AdminFigure]) -> pl.DataFrame:
    """One row per figure, with ``value = numerator / denominator``."""
    rows = list(figures)
    return pl.DataFrame(
        {
            "municipality": [f.municipality for f in rows],
            "indicator": [f.indicator for f in rows],
            "year": [f.year for f in rows],
            "school": [f.school for f in rows],
            "numerator": [f.numerator for f in rows],
            "denominator": [f.denominator for f in rows],
            "row": [f.row for f in rows],
        },
        schema={
            "municipality": pl.String,
            "indicator": pl.String,
            "year": pl.Int32,
            "school": pl.String,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
            "row": pl.Int32,
        },
    ).with_columns((pl.col("numerator") / pl.col("denominator")).alias("value"))


_HEADER_FIX = "The first line must be: municipality,indicator,year,numerator,denominator[,school]"


def _p(code: str, row: int, column: str | None, message: str, fix: str) -> RowProblem:
    return RowProblem(code=code, row=row, column=column, message=message, fix=fix)


def _count(cells: dict[str, str], column: str, row: int, problems: list[RowProblem]) -> int | None:
    raw = cells[column]
    if raw.isascii() and raw.isdigit():
        return int(raw)
    problems.append(
        _p(
            "ADM220",
            row,
            column,
            f"{raw!r} is not a whole number ≥ 0.",
            "Write a count such as 42, no decimals.",
        )
    )
    return None


def _check_row(cells: dict[str, str], row: int, catalogue: Catalogue) -> tuple[list[RowProblem], AdminFigure | None]:
    problems: list[RowProblem] = []
    mcode, icode, school = cells["municipality"], cells["indicator"], cells.get("school") or None
    municipality = catalogue.municipalities.get(mcode)
    if municipality is None:
        known = ", ".join(sorted(catalogue.municipalities))
        problems.append(_p("ADM210", row, "municipality", f"unknown municipality {mcode!r}.", f"Use one of: {known}."))
    else:
        indicator = next((i for i in municipality.indicators if i.code == icode), None)
        admin = [i.code for i in municipality.indicators if not i.is_survey]
        if indicator is None:
            problems.append(
                _p(
                    "ADM211",
                    row,
                    "indicator",
                    f"{mcode} has no indicator {icode!r}.",
                    f"Use one of: {', '.join(admin)}.",
                )
            )
        elif indicator.is_survey:
            problems.append(
                _p(
                    "ADM212",
                    row,
                    "indicator",
                    f"{icode} is measured by the {indicator.survey.instrument if indicator.survey else ''} "
                    "survey, not imported.",
                    f"Remove the row; administrative indicators are: {', '.join(admin)}.",
                )
            )
        if school is not None and not municipality.has_school(school):
            problems.append(
                _p(
                    "ADM213",
                    row,
                    "school",
                    f"{mcode} has no school {school!r}.",
                    "Use a school code from analysis/municipalities/<code>.toml, or leave it empty.",
                )
            )
    year_raw = cells["year"]
    year: int | None = int(year_raw) if year_raw.isascii() and year_raw.isdigit() else None
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        year = None
        problems.append(
            _p(
                "ADM223",
                row,
                "year",
                f"{year_raw!r} is not a year in {YEAR_MIN}–{YEAR_MAX}.",
                "Write e.g. 2026.",
            )
        )
    numerator = _count(cells, "numerator", row, problems)
    denominator = _count(cells, "denominator", row, problems)
    if denominator == 0:
        problems.append(
            _p(
                "ADM222",
                row,
                "denominator",
                "the denominator is 0.",
                "Give the number of students/schools/teachers.",
            )
        )
    elif numerator is not None and denominator is not None and numerator > denominator:
        problems.append(
            _p(
                "ADM221",
                row,
                "numerator",
                f"numerator {numerator} exceeds denominator {denominator}.",
                "Check the columns are not swapped.",
            )
        )
    if problems or year is None or numerator is None or denominator is None:
        return problems, None
    figure = AdminFigure(
        municipality=mcode,
        indicator=icode,
        year=year,
        numerator=numerator,
        denominator=denominator,
        school=school,
        row=row,
    )
    return problems, figure
