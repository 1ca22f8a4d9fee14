"""Imported rows → validated, coded answers, duplicates found, every bad row with its fix.

Each row is turned into the answers a respondent would have submitted (option values, likert
points, ``"dont_know"``, lists for multiple choice, numbers and texts as text) and validated by
the instrument version's own validator (`instruments.validation`), exactly as a submission.

Duplicates: with a submission id column (``instanceID``, ``KEY``, ``_uuid``) two rows with the
same id are one submission sent twice (same answers: the second is skipped and listed; different
answers: both rows are errors). Without one, rows with identical answers are taken as duplicates
(a content hash) unless `keep_identical` is set. The id (or hash) becomes the stored
idempotency key (as sha256), so importing the same file again stores nothing twice.
Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from pmp_surveys.instruments.coding import DONT_KNOW
from pmp_surveys.instruments.definition import (
    Instrument,
    LikertQuestion,
    MultipleQuestion,
    Question,
    SingleQuestion,
)
from pmp_surveys.instruments.validation import AnswersInvalid, AnswerValidator, CodedAnswers
from pmp_surveys.responses.import_columns import ColumnPlan
from pmp_surveys.responses.import_sources import ImportMapping, Table

_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})")
_DMY = re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})")

FIXES = {
    "required": "Give an answer (the question is required), or leave the row out.",
    "out_of_range": "Correct the number to the allowed range.",
    "unknown_option": "Use one of the question's options, or map the value in the mapping file.",
    "wrong_type": "Correct the value to the question's type.",
    "condition_not_met": "Leave it blank: the question is not asked after the earlier answer.",
    "too_long": "Shorten the text.",
    "duplicate_option": "List each option once.",
    "unknown_question": "Map the column to a question or drop it.",
}


@dataclass(frozen=True)
class RowProblem:
    """One bad cell: the row as numbered in the file, the column, what is wrong and how to fix it."""

    row: int
    column: str
    problem: str
    fix: str


@dataclass(frozen=True)
class ReadyRow:
    row: int
    key: bytes
    coded: CodedAnswers
    day: dt.date | None
    school: str | None


@dataclass
class Prepared:
    rows: list[ReadyRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    """(row skipped, row it repeats)."""


def _values(q: Question) -> list[str]:
    if isinstance(q, SingleQuestion | MultipleQuestion):
        return [o.value for o in q.options]
    if isinstance(q, LikertQuestion):
        return [str(p) for p in range(1, q.points + 1)] + ([DONT_KNOW] if q.dont_know else [])
    return []


def _one_value(q: Question, raw: str, mapping: ImportMapping) -> str | None:
    """The answer value for `raw`, or None when it is not one of the question's values."""
    for table in (mapping.values.get(q.id, {}), mapping.values.get("*", {})):
        if raw in table:
            return table[raw]
    allowed = _values(q)
    if raw in allowed:
        return raw
    if isinstance(q, SingleQuestion | MultipleQuestion) and raw.isdigit():
        by_code = {str(o.code): o.value for o in q.options}
        return by_code.get(raw)
    if isinstance(q, LikertQuestion) and q.dont_know and raw == "99":
        return DONT_KNOW
    return None


def _day(raw: str) -> dt.date | None:
    m = _DATE.match(raw) or _DMY.match(raw)
    if m is None:
        return None
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


def _answers(
    table: Table, plan: ColumnPlan, row: list[str], row_no: int, instrument: Instrument, mapping: ImportMapping
) -> tuple[dict[str, Any], dict[str, str], list[RowProblem], dict[str, str]]:
    """(answers, question → column, problems, meta: instance_id/submitted/school)."""
    answers: dict[str, Any] = {}
    where: dict[str, str] = {}
    problems: list[RowProblem] = []
    meta: dict[str, str] = {}
    ticks: dict[str, list[str]] = {}
    for i, target in plan.targets.items():
        raw, column = row[i], table.columns[i]
        if target.role in ("instance_id", "submitted", "school"):
            if raw:
                meta[target.role] = raw
            continue
        q = instrument.question(target.question)
        where.setdefault(q.id, column)
        if target.role == "tick":
            if raw.strip().lower() in mapping.ticked:
                ticks.setdefault(q.id, []).append(target.option)
            elif raw and raw not in ("0", "n", "no", "false", "nē"):
                problems.append(
                    RowProblem(
                        row_no,
                        column,
                        f"`{raw}` is neither ticked nor not ticked",
                        f"Use 1 or 0 (ticked: {', '.join(mapping.ticked)}).",
                    )
                )
            else:
                ticks.setdefault(q.id, [])
            continue
        if not raw:
            continue
        if isinstance(q, MultipleQuestion):
            parts = [p for p in re.split(r"[\s;,]+", raw) if p]
            chosen = [_one_value(q, p, mapping) for p in parts]
            bad = [p for p, c in zip(parts, chosen, strict=True) if c is None]
            if bad:
                problems.append(_unknown(row_no, column, q, ", ".join(bad)))
                continue
            answers[q.id] = chosen
        elif isinstance(q, SingleQuestion | LikertQuestion):
            value = _one_value(q, raw, mapping)
            if value is None:
                problems.append(_unknown(row_no, column, q, raw))
                continue
            answers[q.id] = value
        else:
            answers[q.id] = raw
    for qid, chosen_ticks in ticks.items():
        answers.setdefault(qid, chosen_ticks or None)
    return {k: v for k, v in answers.items() if v is not None}, where, problems, meta


def _unknown(row: int, column: str, q: Question, raw: str) -> RowProblem:
    allowed = ", ".join(_values(q))
    return RowProblem(
        row,
        column,
        f"`{raw}` is not an answer of `{q.id}`",
        f"Use one of: {allowed} (or an option's code), or map `{raw}` under [values.{q.id}] in the mapping file.",
    )


def import_key(instance_id: str | None, coded: CodedAnswers, occurrence: int = 0) -> bytes:
    """The stored idempotency key: sha256 of the submission id, else of the answers' fingerprint."""
    if instance_id:
        ident = instance_id.strip().removeprefix("uuid:")
        return hashlib.sha256(b"import-instance\x00" + ident.encode()).digest()
    return hashlib.sha256(b"import-content\x00" + coded.fingerprint + str(occurrence).encode()).digest()


def prepare_rows(
    table: Table,
    plan: ColumnPlan,
    instrument: Instrument,
    validator: AnswerValidator,
    mapping: ImportMapping,
    *,
    keep_identical: bool = False,
) -> Prepared:
    """Validate and code every row; see the module docstring for duplicates."""
    out = Prepared()
    first_by_key: dict[bytes, tuple[int, bytes]] = {}
    occurrences: dict[bytes, int] = {}
    for n, row in enumerate(table.rows):
        row_no = table.first_row + n
        answers, where, problems, meta = _answers(table, plan, row, row_no, instrument, mapping)
        if problems:
            out.problems.extend(problems)
            continue
        try:
            coded = validator.validate(answers, from_form=True)
        except AnswersInvalid as exc:
            for err in exc.errors:
                column = where.get(err.question_id, err.question_id)
                out.problems.append(
                    RowProblem(row_no, column, f"{err.question_id}: {err.message('en')}", FIXES[err.code])
                )
            continue
        day = None
        if "submitted" in meta:
            day = _day(meta["submitted"])
            if day is None:
                out.problems.append(
                    RowProblem(
                        row_no, "submitted", f"`{meta['submitted']}` is not a date", "Use YYYY-MM-DD (or DD.MM.YYYY)."
                    )
                )
                continue
        occurrence = 0
        if keep_identical and "instance_id" not in meta:
            occurrence = occurrences.get(coded.fingerprint, 0)
            occurrences[coded.fingerprint] = occurrence + 1
        key = import_key(meta.get("instance_id"), coded, occurrence)
        if key in first_by_key:
            first_row, fingerprint = first_by_key[key]
            if fingerprint == coded.fingerprint:
                out.duplicates.append((row_no, first_row))
            else:
                out.problems.append(
                    RowProblem(
                        row_no,
                        "instanceID",
                        f"the submission id of row {first_row} again, with different answers",
                        "Keep only the right row of the two.",
                    )
                )
            continue
        first_by_key[key] = (row_no, coded.fingerprint)
        out.rows.append(ReadyRow(row_no, key, coded, day, meta.get("school")))
    return out
