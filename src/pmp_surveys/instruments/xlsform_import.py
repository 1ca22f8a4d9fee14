"""Import an XLSForm (KoboToolbox, ODK, SurveyCTO, Ona) into the instrument format.

The form is first checked by pyxform (the XLSForm reference converter); its sheets are then
read with openpyxl and mapped as :mod:`.xlsform_format` describes. Anything the instrument
format cannot express is a :class:`~.errors.DefinitionProblem` from the same catalogue as the
instrument files (codes PMP170–179), with the path ``SHEET row N, column C``; the instrument is
then checked like a file (`checks.py`), its problems pointing at the survey row. Things left out
on purpose (groups, notes, metadata such as ``start``/``deviceid``, which identify or time the
respondent) are warnings (PMP190). Raises InstrumentDefinitionError listing every problem.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from .checks import check_instrument
from .definition import Instrument, Lang
from .errors import DefinitionProblem, InstrumentDefinitionError, Problems
from .loader import problem_from_validation
from .messages import DEFAULT_DONT_KNOW_LABEL
from .xlsform_format import (
    CHOICES,
    DONT_KNOW,
    LIKERT_APPEARANCE,
    METADATA_TYPES,
    SCORING,
    SURVEY,
    TEXTS,
    parse_number_constraint,
    parse_relevant,
    parse_text_constraint,
)
from .xlsform_read import Cells, Reader, read_sheets

_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_VALUE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
_PYXFORM_ROW = re.compile(r"\[row\s*:\s*(?P<row>\d+)\]")
_QUESTION_PATH = re.compile(r"^questions\[(?P<i>\d+)\]")
_TRUE = {"yes", "true", "true()", "1"}
_FALSE = {"no", "false", "false()", "0"}
#: Columns whose content the format cannot carry (a problem) and columns it drops (a warning).
_REFUSED = {
    "choice_filter": "filtered choice lists",
    "calculation": "calculated values",
    "repeat_count": "repeats",
    "trigger": "triggers",
    "default": "default answers",
    "readonly": "read-only questions",
}
_DROPPED = ("constraint_message", "required_message", "guidance_hint", "media::image", "image", "audio", "video")


@dataclass(frozen=True)
class XlsformImport:
    """An imported instrument and what was left out on purpose (PMP190 warnings)."""

    instrument: Instrument
    warnings: list[DefinitionProblem] = field(default_factory=list)


def _pyxform_check(data: bytes, file: str) -> list[DefinitionProblem]:
    from pyxform.xls2xform import convert

    try:
        convert(xlsform=io.BytesIO(data), file_type=".xlsx", warnings=[])
    except Exception as e:
        detail = str(e).strip() or type(e).__name__
        m = _PYXFORM_ROW.search(detail)
        where = f"survey row {m['row']}" if m else ""
        return [DefinitionProblem.make(Problems.XLSFORM_REJECTED, file, where, detail=detail)]
    return []


class _Questions(Reader):
    """The survey and choices sheets → raw question dicts (msgspec-shaped)."""

    def __init__(self, sheets: dict[str, Cells], file: str, fill_from: Lang | None) -> None:
        super().__init__(sheets, file, fill_from)
        self.survey = sheets[SURVEY]
        choices = sheets.get(CHOICES) or Cells(CHOICES, [], [])
        self.choices = choices
        self.lists: dict[str, list[tuple[int, dict[str, str]]]] = {}
        for n, cells in choices.rows:
            name = cells.get("list_name") or cells.get("list name", "")
            self.lists.setdefault(name, []).append((n, cells))
        self.intro: dict[str, str] | None = None
        self.quasi_identifiers: list[tuple[int, int, str]] = []

    def questions(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for n, cells in self.survey.rows:
            kind, _, rest = cells.get("type", "").strip().partition(" ")
            kind = kind.lower()
            name = cells.get("name", "")
            if kind in ("begin_group", "end_group") or (kind in ("begin", "end") and rest.strip() == "group"):
                continue  # questions keep their order; the grouping itself is not part of the format
            if kind in METADATA_TYPES:
                self.warn(SURVEY, n, "type", f"`{kind}` ({name}) identifies or times the respondent")
                continue
            if kind == "note":
                if name == "intro" and not out:
                    self.intro = self.text(self.survey, n, cells, "label", required=True)
                else:
                    self.warn(SURVEY, n, "type", f"note `{name}` (the format has no notes between questions)")
                continue
            if kind not in ("select_one", "select_multiple", "integer", "decimal", "text"):
                self.problem(Problems.XLSFORM_UNSUPPORTED_TYPE, SURVEY, n, "type", type=cells.get("type", ""))
                continue
            question = self.question(n, cells, kind, rest.strip())
            if question is not None:
                out.append(question)
                mark = cells.get("pmp_quasi_identifier", "").strip().lower()
                if mark.isdigit() or mark in _TRUE:  # a place in the list, or yes (in form order)
                    place = int(mark) if mark.isdigit() else 10**6
                    self.quasi_identifiers.append((place, len(self.quasi_identifiers), question["id"]))
                self.question_rows.append(n)
        return out

    def question(self, n: int, cells: dict[str, str], kind: str, rest: str) -> dict[str, Any] | None:
        name = cells.get("name", "")
        if not _NAME.match(name) or len(name) > 48 or "__" in name:
            self.problem(Problems.XLSFORM_NAME, SURVEY, n, "name", name=name, what="question name")
        for col, what in _REFUSED.items():
            if cells.get(col):
                self.problem(
                    Problems.XLSFORM_UNSUPPORTED_COLUMN, SURVEY, n, col, column=col, value=cells[col], what=what
                )
        for col in _DROPPED:
            if cells.get(col):
                self.warn(SURVEY, n, col, f"`{col}` of {name} (the system writes its own messages)")
        q: dict[str, Any] = {"id": name, "label": self.text(self.survey, n, cells, "label", required=True)}
        hint = self.text(self.survey, n, cells, "hint", required=False)
        if hint is not None:
            q["help"] = hint
        required = cells.get("required", "").strip().lower()
        if required not in _TRUE | _FALSE | {""}:
            self.problem(
                Problems.XLSFORM_UNSUPPORTED_COLUMN,
                SURVEY,
                n,
                "required",
                column="required",
                value=cells["required"],
                what="conditional required",
            )
        q["required"] = required in _TRUE
        if cells.get("relevant"):
            condition = parse_relevant(cells["relevant"])
            if condition is None:
                self.problem(Problems.XLSFORM_RELEVANT, SURVEY, n, "relevant", expression=cells["relevant"])
            else:
                q["show_if"] = {"question": condition.question, "in": list(condition.values)}
        appearance = cells.get("appearance", "").lower().split()
        constraint = cells.get("constraint", "")
        if kind in ("select_one", "select_multiple"):
            return self.select(n, q, kind, rest, appearance, constraint)
        if kind in ("integer", "decimal"):
            q |= {"kind": "number", "integer": kind == "integer"}
            if constraint:
                bounds = parse_number_constraint(constraint)
                if bounds is None:
                    self.problem(Problems.XLSFORM_CONSTRAINT, SURVEY, n, "constraint", expression=constraint)
                else:
                    q |= {k: v for k, v in zip(("min", "max"), bounds, strict=True) if v is not None}
            unit = self.text(self.survey, n, cells, "pmp_unit", required=False)
            if unit is not None:
                q["unit"] = unit
            return q
        q |= {"kind": "text", "multiline": "multiline" in appearance}
        if constraint:
            length = parse_text_constraint(constraint)
            if length is None:
                self.problem(Problems.XLSFORM_CONSTRAINT, SURVEY, n, "constraint", expression=constraint)
            else:
                q["max_length"] = length
        return q

    def select(
        self, n: int, q: dict[str, Any], kind: str, rest: str, appearance: list[str], constraint: str
    ) -> dict[str, Any] | None:
        list_name, _, extra = rest.partition(" ")
        if extra.strip():
            self.problem(Problems.XLSFORM_UNSUPPORTED_TYPE, SURVEY, n, "type", type=f"{kind} {rest}")
        if constraint:
            self.problem(Problems.XLSFORM_CONSTRAINT, SURVEY, n, "constraint", expression=constraint)
        rows = self.lists.get(list_name)
        if not rows:
            detail = f"Choice list `{list_name}` of question `{q['id']}` is missing or empty."
            self.problem(
                Problems.XLSFORM_CHOICES,
                SURVEY,
                n,
                "type",
                detail=detail,
                fix=f"Add its choices to the choices sheet (list_name {list_name}).",
            )
            return None
        names = [cells.get("name", "") for _, cells in rows]
        numbered = [x for x in names if x != DONT_KNOW]
        ordered = numbered == [str(i) for i in range(1, len(numbered) + 1)] and 2 <= len(numbered) <= 11
        coded = any(cells.get("pmp_code") for _, cells in rows)
        if kind == "select_one" and (LIKERT_APPEARANCE in appearance or (ordered and not coded)):
            if not ordered:
                detail = (
                    f"Rating list `{list_name}` must have the choices 1, 2, … n in order (2 ≤ n ≤ 11), "
                    "then optionally dont_know."
                )
                self.problem(
                    Problems.XLSFORM_CHOICES,
                    CHOICES,
                    rows[0][0],
                    "name",
                    detail=detail,
                    fix="Rename the choices 1..n in scale order.",
                )
                return None
            return q | self.likert(rows, len(numbered), q.get("show_if") is not None)
        return q | {"kind": "single" if kind == "select_one" else "multiple", "options": self.options(rows, list_name)}

    def likert(self, rows: list[tuple[int, dict[str, str]]], points: int, _: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": "likert", "points": points}
        labels, anchors = [], []
        for n, cells in rows:
            label = self.text(self.choices, n, cells, "label", required=True)
            if cells.get("name") == DONT_KNOW:
                out["dont_know"] = True
                if label != msgspec.to_builtins(DEFAULT_DONT_KNOW_LABEL):
                    out["dont_know_label"] = label
                continue
            labels.append(label)
            if cells.get("pmp_anchor", "").lower() in _TRUE:
                own = self.text(self.choices, n, cells, "pmp_anchor_label", required=False)
                anchors.append({"point": int(cells["name"]), "label": own or label, "own": own is not None})
        if anchors and not any(a["own"] for a in anchors):
            out["anchors"] = [{"point": a["point"], "label": a["label"]} for a in anchors]
        else:
            out["labels"] = labels
            if anchors:
                out["anchors"] = [{"point": a["point"], "label": a["label"]} for a in anchors]
        return out

    def options(self, rows: list[tuple[int, dict[str, str]]], list_name: str) -> list[dict[str, Any]]:
        names = [cells.get("name", "") for _, cells in rows]
        numeric = all(x.isdigit() and int(x) <= 98 for x in names)
        options = []
        for i, (n, cells) in enumerate(rows, 1):
            value = cells.get("name", "")
            if not _VALUE.match(value) or len(value) > 48:
                self.problem(
                    Problems.XLSFORM_NAME, CHOICES, n, "name", name=value, what=f"choice name (list {list_name})"
                )
            raw = cells.get("pmp_code", "")
            code = int(raw) if raw.isdigit() else int(value) if numeric else i
            options.append(
                {"value": value, "code": code, "label": self.text(self.choices, n, cells, "label", required=True)}
            )
        return options


def _texts_row(reader: Reader, sheets: dict[str, Cells], name: str) -> dict[str, str] | None:
    texts = sheets.get(TEXTS)
    for n, cells in texts.rows if texts else []:
        if cells.get("name") == name:
            return reader.text(texts, n, cells, "label", required=True)  # type: ignore[arg-type]
    return None


def _scoring(reader: Reader, sheets: dict[str, Cells]) -> list[dict[str, Any]]:
    sheet = sheets.get(SCORING)
    rules = []
    for n, cells in sheet.rows if sheet else []:
        rule: dict[str, Any] = {"id": cells.get("id", ""), "kind": cells.get("kind", "")}
        rule["label"] = reader.text(sheet, n, cells, "label", required=True)  # type: ignore[arg-type]
        if cells.get("description"):
            rule["description"] = cells["description"]
        try:
            rule |= msgspec.json.decode(cells.get("spec") or "{}")
        except msgspec.DecodeError as e:
            reader.problem(
                Problems.XLSFORM_CHOICES,
                SCORING,
                n,
                "spec",
                detail=f"spec is not JSON: {e}",
                fix="Write the rule's fields as a JSON object.",
            )
        rules.append(rule)
    return rules


def import_xlsform(data: bytes, file: str = "form.xlsx", *, fill_from: Lang | None = None) -> XlsformImport:
    """The instrument an XLSForm workbook (.xlsx bytes) describes; see the module docstring.

    `fill_from` copies a missing translation from that language (each filled column is a
    PMP190 warning: translate before fielding). Raises InstrumentDefinitionError.
    """
    try:
        sheets = read_sheets(data)
    except Exception as e:
        raise InstrumentDefinitionError(
            [DefinitionProblem.make(Problems.XLSFORM_UNREADABLE, file, "", detail=str(e) or type(e).__name__)]
        ) from e
    if SURVEY not in sheets:
        raise InstrumentDefinitionError(
            [DefinitionProblem.make(Problems.XLSFORM_UNREADABLE, file, "", detail="no `survey` sheet")]
        )
    rejected = _pyxform_check(data, file)
    if rejected:
        raise InstrumentDefinitionError(rejected)
    reader = _Questions(sheets, file, fill_from)
    questions = reader.questions()
    settings = reader.settings
    title = _texts_row(reader, sheets, "title")
    if title is None:
        plain = settings.get("form_title") or settings.get("form_id") or "form"
        title = {lang: plain for lang in ("lv", "ru", "uk", "en")}
        reader.warn(SETTINGS_NAME, 2, "form_title", "a title per language (form_title is used for every language)")
    version_text = settings.get("version", "1")
    if not version_text.isdigit() or int(version_text) < 1:
        reader.warn(
            SETTINGS_NAME, 2, "version", f"version `{version_text}` is not a whole number ≥ 1; version 1 is used"
        )
        version_text = "1"
    stem = settings.get("form_id") or Path(file).stem
    key = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    raw: dict[str, Any] = {"key": key, "version": int(version_text), "title": title, "questions": questions}
    if reader.intro is not None:
        raw["intro"] = reader.intro
    raw["scoring"] = _scoring(reader, sheets)
    raw["quasi_identifiers"] = [qid for _, _, qid in sorted(reader.quasi_identifiers)]
    for base, lang in sorted(reader.filled):
        reader.warn(
            SURVEY, None, f"{base}::{lang}", f"the {lang} texts of `{base}` (copied from {fill_from}: translate them)"
        )
    if reader.problems:
        raise InstrumentDefinitionError(reader.problems)
    try:
        instrument = msgspec.convert(raw, Instrument)
    except msgspec.ValidationError as e:
        raise InstrumentDefinitionError([_at_row(problem_from_validation(e, file), reader.question_rows)]) from e
    problems = check_instrument(instrument, file)
    if problems:
        raise InstrumentDefinitionError([_at_row(p, reader.question_rows) for p in problems])
    return XlsformImport(instrument, reader.warnings)


SETTINGS_NAME = "settings"


def _at_row(problem: DefinitionProblem, rows: list[int]) -> DefinitionProblem:
    """Point a `questions[i]…` path at the survey row of question i."""
    m = _QUESTION_PATH.match(problem.path)
    if m is None or int(m["i"]) >= len(rows):
        return problem
    where = f"survey row {rows[int(m['i'])]} ({problem.path})"
    return DefinitionProblem(problem.code, problem.file, where, problem.message, problem.fix)


def instrument_toml(instrument: Instrument) -> str:
    """The instrument as an instrument file (TOML; unset optional fields left out)."""

    def prune(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: prune(v) for k, v in node.items() if v is not None}
        if isinstance(node, list):
            return [prune(v) for v in node]
        return node

    return msgspec.toml.encode(prune(msgspec.to_builtins(instrument))).decode()
