"""Exceptions of the instruments package and the catalogue of definition-problem codes.

    InstrumentError                  base of everything raised here
    ├── InstrumentDefinitionError    a file in `surveys/` is broken; carries `problems`
    └── AnswersInvalid               submitted answers fail validation; carries `errors`
                                     (defined in `validation.py`)

Each definition problem has a stable code (like pyxform's `errors.py`) with a message template
saying what is wrong and a fix template saying what to do. Codes are never reused or renumbered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class ProblemKind:
    code: str
    message: str
    fix: str


class Problems:
    """The catalogue. Templates are `str.format` strings over the problem's parameters."""

    TOML_SYNTAX = ProblemKind("PMP100", "TOML syntax error: {detail}", "Fix the TOML syntax at {where}.")
    UNREADABLE = ProblemKind("PMP101", "The file cannot be read: {detail}", "Check the path and permissions.")
    UNKNOWN_FIELD = ProblemKind(
        "PMP102",
        "Unknown field `{field}`.",
        "Remove `{field}` or correct its spelling; see surveys/README.md for the allowed fields.",
    )
    WRONG_TYPE = ProblemKind("PMP103", "Wrong type or value: {detail}.", "Change the value so that it is {expected}.")
    MISSING_FIELD = ProblemKind("PMP104", "Required field `{field}` is missing.", "Add `{field}`.")
    MISSING_TRANSLATION = ProblemKind(
        "PMP105",
        "The `{lang}` translation is missing or empty.",
        "Add a non-empty `{lang}` text; every label needs lv, ru, uk and en.",
    )
    UNKNOWN_KIND = ProblemKind(
        "PMP106", "Unknown kind {detail}.", "Use one of the kinds listed in surveys/README.md: {expected}."
    )
    DUPLICATE_QUESTION_ID = ProblemKind(
        "PMP110",
        "Question id `{id}` is used more than once (first at questions[{first}]).",
        "Give each question a unique id.",
    )
    DUPLICATE_OPTION_VALUE = ProblemKind(
        "PMP111",
        "Option value `{value}` is used more than once in this question.",
        "Give each option of a question a unique value.",
    )
    DUPLICATE_OPTION_CODE = ProblemKind(
        "PMP112",
        "Option code {code} is used more than once in this question.",
        "Give each option of a question a unique integer code.",
    )
    TOO_FEW_OPTIONS = ProblemKind("PMP113", "A choice question needs at least 2 options, found {n}.", "Add options.")
    LIKERT_POINTS = ProblemKind(
        "PMP120",
        "A likert scale needs between 2 and 11 points, found {points}.",
        "Set `points` to a value from 2 to 11 (usually 5 or 9).",
    )
    LIKERT_LABELS = ProblemKind(
        "PMP121",
        "{detail}",
        "Give either `labels` with exactly one label per point, or `anchors` that include points 1 and {points}.",
    )
    LIKERT_ANCHOR = ProblemKind(
        "PMP122",
        "Anchor point {point} is outside the scale 1..{points} or repeated.",
        "Use each anchor point once, between 1 and {points}.",
    )
    NUMBER_RANGE = ProblemKind(
        "PMP123", "`min` ({min}) is greater than `max` ({max}).", "Swap or correct `min` and `max`."
    )
    SHOW_IF_UNKNOWN_QUESTION = ProblemKind(
        "PMP130",
        "show_if refers to question `{question}`, which does not exist.",
        "Refer to the id of an earlier question.",
    )
    SHOW_IF_LATER_QUESTION = ProblemKind(
        "PMP131",
        "show_if refers to question `{question}`, which is not asked before this one.",
        "Refer to an earlier question, or move this question after `{question}`.",
    )
    SHOW_IF_UNKNOWN_OPTION = ProblemKind(
        "PMP132",
        "show_if value `{value}` is not an option of question `{question}`.",
        "Use one of: {allowed}.",
    )
    SHOW_IF_NOT_CHOICE = ProblemKind(
        "PMP133",
        "show_if refers to question `{question}` of kind `{kind}`.",
        "Refer to a `single` or `multiple` question.",
    )
    DUPLICATE_RULE_ID = ProblemKind(
        "PMP140", "Scoring rule id `{id}` is used more than once.", "Give each scoring rule a unique id."
    )
    RULE_UNKNOWN_QUESTION = ProblemKind(
        "PMP141",
        "Scoring rule refers to question `{question}`, which does not exist.",
        "Use the id of a question of this instrument.",
    )
    QUASI_IDENTIFIER = ProblemKind(
        "PMP161",
        "Quasi-identifier `{question}` is not a single-choice question of this instrument.",
        "List the ids of single-choice questions (age band, sex, district, role, experience …).",
    )
    RULE_UNKNOWN_VALUE = ProblemKind(
        "PMP142",
        "`{value}` is not an answer value of question `{question}`.",
        "Use one of: {allowed}.",
    )
    RULE_WRONG_QUESTION_KIND = ProblemKind(
        "PMP143",
        "A share rule cannot count answers to `{question}` of kind `{kind}`.",
        "Use a `single`, `multiple` or `likert` question (use a scale rule for numbers).",
    )
    SCALE_ITEM_KIND = ProblemKind(
        "PMP144",
        "Scale item `{question}` is of kind `{kind}`, which has no numeric score.",
        "Use only `likert` or `number` questions as scale items.",
    )
    SCALE_MIN_VALID = ProblemKind(
        "PMP145",
        "min_valid is {min_valid} but the scale has only {n} items.",
        "Set `min_valid` between 1 and {n}.",
    )
    SCALE_MIXED_RANGE = ProblemKind(
        "PMP146",
        "Scale items have different ranges ({detail}).",
        "Use items with the same range (same likert points, or same number min and max).",
    )
    SCALE_DUPLICATE_ITEM = ProblemKind(
        "PMP147", "Scale item `{question}` is listed more than once.", "List each item once."
    )
    SCALE_UNBOUNDED_ITEM = ProblemKind(
        "PMP148",
        "Scale item `{question}` is a number without both `min` and `max`.",
        "Give the number question a `min` and a `max`.",
    )
    THRESHOLD_UNKNOWN_SCALE = ProblemKind(
        "PMP150",
        "Threshold rule refers to `{scale}`, which is not a scale rule of this instrument.",
        "Refer to the id of a `scale` rule.",
    )
    THRESHOLD_OUT_OF_RANGE = ProblemKind(
        "PMP151",
        "Cut-off {cutoff} is outside the range {low}..{high} of scale `{scale}`.",
        "Choose a cut-off inside {low}..{high}.",
    )
    DUPLICATE_INSTRUMENT_KEY = ProblemKind(
        "PMP160",
        "Instrument key `{key}` is also defined in {other}.",
        "Give each instrument file a unique `key`.",
    )

    # XLSForm import (`xlsform_import.py`): the path is "SHEET row N, column C".
    XLSFORM_REJECTED = ProblemKind(
        "PMP170",
        "pyxform rejects the form: {detail}",
        "Correct the form as the message says (pyxform is the XLSForm reference converter).",
    )
    XLSFORM_UNREADABLE = ProblemKind(
        "PMP171", "The workbook cannot be read: {detail}", "Save the form as .xlsx with a `survey` sheet."
    )
    XLSFORM_UNSUPPORTED_TYPE = ProblemKind(
        "PMP172",
        "Question type `{type}` cannot be expressed in the instrument format.",
        "Use select_one, select_multiple, integer, decimal or text (a rating as select_one with "
        "appearance likert), or remove the row.",
    )
    XLSFORM_RELEVANT = ProblemKind(
        "PMP173",
        "relevant `{expression}` is outside what show_if can express.",
        "Write it as selected(${{q}}, 'value') or ${{q}} = 'value', joined by `or`, about one earlier "
        "select question; or remove it.",
    )
    XLSFORM_CONSTRAINT = ProblemKind(
        "PMP174",
        "constraint `{expression}` is outside what the instrument format can express.",
        "Use `. >= MIN and . <= MAX` for numbers and `string-length(.) <= N` for text, or remove it.",
    )
    XLSFORM_LANGUAGE = ProblemKind(
        "PMP175",
        "Column `{column}` is in a language the instruments do not use, or names none.",
        "Name label columns like `label::Latviešu (lv)`: languages lv, ru, uk, en.",
    )
    XLSFORM_MISSING_LANGUAGE = ProblemKind(
        "PMP176",
        "No {lang} text in `{column}`.",
        "Add the {lang} translation (column `{column}`), or import with --fill-from LANG to copy "
        "another language (then translate before fielding).",
    )
    XLSFORM_NAME = ProblemKind(
        "PMP177",
        "Name `{name}` is not a valid {what}.",
        "Use lower-case letters, digits and single underscores, starting with a letter (max 48).",
    )
    XLSFORM_UNSUPPORTED_COLUMN = ProblemKind(
        "PMP178",
        "Column `{column}` (`{value}`) cannot be expressed in the instrument format.",
        "Remove the value; the instrument format has no {what}.",
    )
    XLSFORM_CHOICES = ProblemKind("PMP179", "{detail}", "{fix}")
    XLSFORM_DROPPED = ProblemKind(
        "PMP190",
        "Not imported: {detail}.",
        "Nothing to do if that is intended; the instrument does not collect it.",
    )

    @classmethod
    def all(cls) -> list[ProblemKind]:
        return [v for v in vars(cls).values() if isinstance(v, ProblemKind)]


@dataclass(frozen=True, slots=True)
class DefinitionProblem:
    """One thing wrong with an instrument file: where (`file`, `path`), what, and how to fix."""

    code: str
    file: str
    path: str
    message: str
    fix: str

    @classmethod
    def make(cls, kind: ProblemKind, file: Path | str, path: str, /, **params: Any) -> DefinitionProblem:
        return cls(
            code=kind.code,
            file=str(file),
            path=path,
            message=kind.message.format(**params),
            fix=kind.fix.format(**params),
        )

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{self.code} {where}: {self.message} Fix: {self.fix}"


class InstrumentError(Exception):
    """Base of all instrument errors."""


class InstrumentDefinitionError(InstrumentError):
    """One or more instrument files are broken."""

    def __init__(self, problems: list[DefinitionProblem]) -> None:
        self.problems = problems
        super().__init__(self._render())

    def _render(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in instrument definition"
        return "\n".join([head + ":", *(f"  - {p}" for p in self.problems)])

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]
