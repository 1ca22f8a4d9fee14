"""Error catalogue for municipality / indicator files and administrative figures.

Every problem carries a stable code, the file, a path inside it, what is wrong and how to fix it,
in the manner of pyxform's ``errors.py``. Codes are never reused; add new ones at the end of a block.

    CatalogueError(PmpError)               one or more files of the catalogue are wrong
    AdminFiguresError(ValidationFailed)    an evaluators' CSV of administrative figures is wrong

Catalogue codes (``CAT``):

    CAT100  file unreadable or not UTF-8
    CAT101  TOML syntax error (with line and column)
    CAT102  unknown field
    CAT103  wrong type or value out of its allowed set
    CAT104  required field missing
    CAT105  file name does not match the municipality code
    CAT110  duplicate municipality code (across files)
    CAT111  duplicate indicator code
    CAT112  duplicate school code
    CAT113  duplicate target year in one indicator
    CAT114  duplicate population margin cell
    CAT120  share outside 0–1 (baseline or target value)
    CAT121  target year not after the baseline year
    CAT122  year outside the plan period (target or evaluation year)
    CAT123  baseline has neither a value with a year nor `to_be_set` (or has both)
    CAT124  plan period or baseline year inconsistent (start after end, baseline after start)
    CAT130  survey indicator without a `survey` block (instrument, rule, design)
    CAT131  administrative indicator with a `survey` block
    CAT132  unknown instrument key or scoring rule id
    CAT133  survey indicator marked `inference = "census"`
    CAT140  direction inconsistent with the target kind (`rise` with `at_most`/`below`, …)
    CAT141  target on the wrong side of the baseline for the direction
    CAT150  population margin cell with the wrong number of levels

Administrative-figure codes (``ADM``):

    ADM200  file unreadable, not UTF-8 or empty
    ADM201  header missing a required column or holding an unknown one
    ADM202  row with the wrong number of fields
    ADM203  workbook (XLSX/XLS/ODS) cannot be read
    ADM210  unknown municipality
    ADM211  unknown indicator for the municipality
    ADM212  indicator is survey-based (its value comes from survey answers, not from this file)
    ADM213  unknown school for the municipality
    ADM214  school listed in the catalogue but not in the database
    ADM215  row of another municipality than the one being edited
    ADM220  count not a non-negative integer
    ADM221  numerator greater than denominator
    ADM222  denominator is zero
    ADM223  year not an integer in 2000–2100
    ADM230  duplicate (municipality, indicator, year, school) row
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from pmp_surveys.errors import PmpError, ValidationFailed

__all__ = [
    "AdminFiguresError",
    "CatalogueError",
    "Problem",
    "RowProblem",
]


class Problem(msgspec.Struct, frozen=True, kw_only=True):
    """One thing wrong with one catalogue file."""

    code: str
    file: str
    path: str
    message: str
    fix: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        at = f" at {self.path}" if self.path else ""
        return f"{self.code} {where}{at}: {self.message} Fix: {self.fix}"


class CatalogueError(PmpError):
    """The catalogue could not be loaded; ``problems`` lists every problem found, file by file."""

    code = "catalogue_invalid"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the indicator catalogue:\n{lines}")

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


class RowProblem(msgspec.Struct, frozen=True, kw_only=True):
    """One thing wrong with one row of an administrative-figures CSV (row 1 is the header)."""

    code: str
    row: int
    column: str | None
    message: str
    fix: str

    def __str__(self) -> str:
        col = f", column {self.column}" if self.column else ""
        return f"{self.code} row {self.row}{col}: {self.message} Fix: {self.fix}"


class AdminFiguresError(ValidationFailed):
    """The administrative-figures file was rejected as a whole; ``problems`` lists every row error."""

    code = "admin_figures_invalid"

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        self.problems: tuple[RowProblem, ...] = tuple(problems)
        errors = [
            {
                "field": f"row {p.row}" + (f".{p.column}" if p.column else ""),
                "code": p.code,
                "message": f"{p.message} {p.fix}",
            }
            for p in self.problems
        ]
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the administrative figures:\n{lines}", errors=errors)

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]
