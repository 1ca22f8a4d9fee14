"""Export an instrument as an XLSForm workbook (mapping: :mod:`.xlsform_format`).

The workbook converts with pyxform without errors, so a municipality can field the survey
offline in KoboCollect or ODK Collect and import the submissions back; importing it again
(:func:`.xlsform_import.import_xlsform`) gives the same instrument. Pure: bytes out.
"""

from __future__ import annotations

import io
from typing import Any

import msgspec
import openpyxl

from .definition import (
    LANGUAGES,
    Instrument,
    LikertQuestion,
    MultipleQuestion,
    NumberQuestion,
    Question,
    SingleQuestion,
    Text,
    TextQuestion,
    kind_of,
)
from .messages import DEFAULT_DONT_KNOW_LABEL
from .xlsform_format import (
    CHOICES,
    DONT_KNOW,
    LANGUAGE_NAMES,
    LIKERT_APPEARANCE,
    SCORING,
    SETTINGS,
    SURVEY,
    TEXTS,
    column,
    render_number_constraint,
    render_relevant,
)

Row = dict[str, Any]

SURVEY_COLUMNS = [
    "type",
    "name",
    *(column("label", lang) for lang in LANGUAGES),
    *(column("hint", lang) for lang in LANGUAGES),
    "required",
    "relevant",
    "constraint",
    "appearance",
    "pmp_reverse",
    "pmp_quasi_identifier",
    *(column("pmp_unit", lang) for lang in LANGUAGES),
]
CHOICE_COLUMNS = [
    "list_name",
    "name",
    *(column("label", lang) for lang in LANGUAGES),
    "pmp_code",
    "pmp_anchor",
    *(column("pmp_anchor_label", lang) for lang in LANGUAGES),
]
SCORING_COLUMNS = ["id", "kind", *(column("label", lang) for lang in LANGUAGES), "description", "spec"]


def _texts(base: str, text: Text | None) -> Row:
    return {} if text is None else {column(base, lang): text.get(lang) for lang in LANGUAGES}


def _number_of(point: int) -> Text:
    return Text(lv=str(point), ru=str(point), uk=str(point), en=str(point))


def _likert_choices(q: LikertQuestion) -> list[Row]:
    anchors = {a.point: a.label for a in q.anchors or []}
    rows = []
    for point in range(1, q.points + 1):
        label = q.labels[point - 1] if q.labels else anchors.get(point, _number_of(point))
        row: Row = {"list_name": q.id, "name": str(point), **_texts("label", label)}
        if point in anchors:
            row["pmp_anchor"] = "yes"
            if q.labels:
                row |= _texts("pmp_anchor_label", anchors[point])
        rows.append(row)
    if q.dont_know:
        label = q.dont_know_label or DEFAULT_DONT_KNOW_LABEL
        rows.append({"list_name": q.id, "name": DONT_KNOW, **_texts("label", label)})
    return rows


def _question_rows(q: Question, quasi_identifiers: tuple[str, ...] = ()) -> tuple[Row, list[Row]]:
    row: Row = {"name": q.id, **_texts("label", q.label), **_texts("hint", q.help)}
    row["required"] = "yes" if q.required else "no"
    if q.id in quasi_identifiers:  # disclosure control: exports are k-anonymous on these
        row["pmp_quasi_identifier"] = str(quasi_identifiers.index(q.id) + 1)  # its place in the list
    if q.show_if is not None:
        row["relevant"] = render_relevant(q.show_if.question, list(q.show_if.in_))
    choices: list[Row] = []
    if isinstance(q, SingleQuestion | MultipleQuestion):
        row["type"] = f"{'select_one' if isinstance(q, SingleQuestion) else 'select_multiple'} {q.id}"
        choices = [
            {"list_name": q.id, "name": o.value, "pmp_code": o.code, **_texts("label", o.label)} for o in q.options
        ]
    elif isinstance(q, LikertQuestion):
        row["type"] = f"select_one {q.id}"
        row["appearance"] = LIKERT_APPEARANCE
        if q.reverse:
            row["pmp_reverse"] = "yes"
        choices = _likert_choices(q)
    elif isinstance(q, NumberQuestion):
        row["type"] = "integer" if q.integer else "decimal"
        if q.min is not None or q.max is not None:
            row["constraint"] = render_number_constraint(q.min, q.max)
        row |= _texts("pmp_unit", q.unit)
    else:
        assert isinstance(q, TextQuestion)
        row["type"] = "text"
        row["constraint"] = f"string-length(.) <= {q.max_length}"
        if q.multiline:
            row["appearance"] = "multiline"
    return row, choices


def _sheet(book: Any, name: str, columns: list[str], rows: list[Row]) -> None:
    """One sheet; text is stored as text (openpyxl would store a label starting with = as a formula)."""
    ws = book.create_sheet(name)
    table: list[list[Any]] = [list(columns), *([row.get(c) for c in columns] for row in rows)]
    for r, values in enumerate(table, 1):
        for c, value in enumerate(values, 1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"


def export_xlsform(instrument: Instrument) -> bytes:
    """The instrument as an XLSForm workbook (.xlsx bytes)."""
    survey: list[Row] = []
    choices: list[Row] = []
    if instrument.intro is not None:
        survey.append({"type": "note", "name": "intro", **_texts("label", instrument.intro)})
    for q in instrument.questions:
        row, rows = _question_rows(q, tuple(instrument.quasi_identifiers))
        survey.append(row)
        choices.extend(rows)
    scoring = []
    for rule in instrument.scoring:
        fields = msgspec.to_builtins(rule)
        spec = {k: v for k, v in fields.items() if k not in ("id", "kind", "label", "description")}
        scoring.append(
            {
                "id": rule.id,
                "kind": kind_of(rule),
                **_texts("label", rule.label),
                "description": rule.description,
                "spec": msgspec.json.encode(spec).decode(),
            }
        )
    book = openpyxl.Workbook()
    assert book.active is not None
    book.remove(book.active)
    _sheet(book, SURVEY, SURVEY_COLUMNS, survey)
    _sheet(book, CHOICES, CHOICE_COLUMNS, choices)
    settings = {
        "form_title": instrument.title.get("lv"),
        "form_id": instrument.key,
        "version": str(instrument.version),
        "default_language": LANGUAGE_NAMES["lv"],
    }
    _sheet(book, SETTINGS, list(settings), [settings])
    _sheet(
        book,
        TEXTS,
        ["name", *(column("label", lang) for lang in LANGUAGES)],
        [{"name": "title", **_texts("label", instrument.title)}],
    )
    _sheet(book, SCORING, SCORING_COLUMNS, scoring)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
