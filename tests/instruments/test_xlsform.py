"""XLSForm: export converts with pyxform, import(export(x)) == x, hand-written forms, every problem code."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pyxform.xls2xform import convert

from pmp_surveys.cli import main
from pmp_surveys.instruments.definition import Instrument, LikertQuestion, NumberQuestion, TextQuestion
from pmp_surveys.instruments.errors import InstrumentDefinitionError, Problems
from pmp_surveys.instruments.loader import decode_instrument, load_instrument_dir, load_instrument_file
from pmp_surveys.instruments.xlsform_export import export_xlsform
from pmp_surveys.instruments.xlsform_import import import_xlsform, instrument_toml

Rows = list[list[Any]]

LV, RU, EN = "label::Latviešu (lv)", "label::Русский (ru)", "label::English (en)"


def workbook(survey: Rows, choices: Rows | None = None, settings: Rows | None = None) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "survey"
    for row in survey:
        ws.append(row)
    for name, rows in (("choices", choices), ("settings", settings)):
        if rows:
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def instruments(surveys_dir: Path) -> list[Instrument]:
    return [i.instrument for i in load_instrument_dir(surveys_dir)]


@pytest.mark.parametrize("key", ["parent-satisfaction", "resident-perception", "teacher-self-efficacy"])
def test_round_trip_through_pyxform(surveys_dir: Path, key: str) -> None:
    [x] = [i for i in instruments(surveys_dir) if i.key == key]
    data = export_xlsform(x)

    warnings: list[str] = []
    xform = convert(xlsform=io.BytesIO(data), file_type=".xlsx", warnings=warnings).xform
    assert f'id="{key}"' in xform and 'version="1"' in xform
    assert warnings == []
    result = import_xlsform(data, f"{key}.xlsx")
    assert result.instrument == x
    assert result.warnings == []
    assert decode_instrument(instrument_toml(result.instrument)) == x  # a normal instrument file


# A form as an evaluator writes it in Excel: three languages, a relevant, a rating, numbers, groups,
# metadata that would identify the phone, no pmp_* columns.
HAND_SURVEY: Rows = [
    ["type", "name", LV, RU, EN, "required", "relevant", "constraint", "appearance"],
    ["start", "start", None, None, None, None, None, None, None],
    ["deviceid", "deviceid", None, None, None, None, None, None, None],
    ["begin_group", "g1", "Par jums", "О вас", "About you", None, None, None, None],
    ["select_one yesno", "attended", "Vai piedalījāties?", "Участвовали?", "Did you attend?", "yes", None, None, None],
    ["select_multiple topics", "topics", "Tēmas", "Темы", "Topics", "yes", "${attended} = 'yes'", None, None],
    [
        "select_one agree5",
        "useful",
        "Noderīgi?",
        "Полезно?",
        "Useful?",
        "yes",
        "selected(${attended}, 'yes')",
        None,
        None,
    ],
    ["end_group", None, None, None, None, None, None, None, None],
    ["integer", "children", "Bērni", "Дети", "Children", "no", None, ". >= 0 and . <= 12", None],
    ["decimal", "hours", "Stundas", "Часы", "Hours", "no", None, ". <= 40.5", None],
    ["text", "comment", "Komentārs", "Комментарий", "Comment", "no", None, "string-length(.) <= 300", "multiline"],
]
HAND_CHOICES: Rows = [
    ["list_name", "name", LV, RU, EN],
    ["yesno", "yes", "Jā", "Да", "Yes"],
    ["yesno", "no", "Nē", "Нет", "No"],
    ["topics", "sleep", "Miegs", "Сон", "Sleep"],
    ["topics", "screens", "Ekrāni", "Экраны", "Screens"],
    *[["agree5", str(i), f"{i} lv", f"{i} ru", f"{i} en"] for i in range(1, 6)],
]
HAND_SETTINGS: Rows = [
    ["form_title", "form_id", "version", "default_language"],
    ["Vecāku grupa", "parents_2024", "2024", "Latviešu (lv)"],
]


def test_hand_written_form_with_relevant_and_three_languages() -> None:
    data = workbook(HAND_SURVEY, HAND_CHOICES, HAND_SETTINGS)

    with pytest.raises(InstrumentDefinitionError) as info:
        import_xlsform(data, "parents.xlsx")
    missing = [p for p in info.value.problems if p.code == "PMP176"]
    assert missing and all("uk" in p.message for p in missing)
    assert any(p.path == "survey row 1, column label::uk" for p in missing)

    result = import_xlsform(data, "parents.xlsx", fill_from="en")
    x = result.instrument
    assert (x.key, x.version) == ("parents-2024", 2024)
    assert [q.id for q in x.questions] == ["attended", "topics", "useful", "children", "hours", "comment"]
    topics, useful = x.question("topics"), x.question("useful")
    assert topics.show_if is not None and (topics.show_if.question, topics.show_if.in_) == ("attended", ["yes"])
    assert useful.show_if is not None and useful.show_if.in_ == ["yes"]
    assert isinstance(useful, LikertQuestion) and useful.points == 5 and useful.labels is not None
    assert useful.labels[0].lv == "1 lv" and useful.labels[0].uk == "1 en"  # filled from en
    assert x.question("attended").label.ru == "Участвовали?"
    children, hours, comment = x.question("children"), x.question("hours"), x.question("comment")
    assert isinstance(children, NumberQuestion) and (children.integer, children.min, children.max) == (True, 0, 12)
    assert isinstance(hours, NumberQuestion) and (hours.integer, hours.min, hours.max) == (False, None, 40.5)
    assert isinstance(comment, TextQuestion) and (comment.max_length, comment.multiline) == (300, True)
    assert not children.required and x.question("attended").required
    said = " ".join(str(w) for w in result.warnings)
    assert "`start`" in said and "`deviceid`" in said and "copied from en" in said
    assert decode_instrument(instrument_toml(x)) == x


def _problems(data: bytes) -> list[Any]:
    with pytest.raises(InstrumentDefinitionError) as info:
        import_xlsform(data, "bad.xlsx", fill_from="en")
    return info.value.problems


HEAD = ["type", "name", LV, EN, "required", "relevant", "constraint", "appearance", "calculation"]
CHOICES: Rows = [["list_name", "name", LV, EN], ["yn", "yes", "Jā", "Yes"], ["yn", "no", "Nē", "No"]]


@pytest.mark.parametrize(
    ("row", "code", "column"),
    [
        (["geopoint", "where", "Kur", "Where", None, None, None, None, None], "PMP172", "type"),
        (["integer", "n", "N", "N", None, "${q} > 3", None, None, None], "PMP173", "relevant"),
        (["integer", "n", "N", "N", None, None, ". > 3", None, None], "PMP174", "constraint"),
        (["integer", "n", "N", "N", None, None, None, None, "1 + 1"], "PMP178", "calculation"),
        (["select_one yn", "Big_Q", "Q", "Q", None, None, None, None, None], "PMP177", "name"),
        (["select_one yn", "rating", "R", "R", None, None, None, "likert", None], "PMP179", "name"),
    ],
)
def test_each_unsupported_thing_names_row_column_and_fix(row: list[Any], code: str, column: str) -> None:
    data = workbook([HEAD, ["select_one yn", "q", "J", "Q", "yes", None, None, None, None], row], CHOICES)
    problems = _problems(data)
    problem = next(p for p in problems if p.code == code)
    assert problem.path.endswith(f"column {column}") and " row " in problem.path
    assert problem.fix and problem.message
    kind = next(k for k in Problems.all() if k.code == code)
    assert problem.fix.split()[0] in kind.fix or kind.fix == "{fix}"


def test_unknown_language_pyxform_rejection_and_unreadable_file() -> None:
    german = workbook([["type", "name", "label::Deutsch (de)", LV, EN], ["text", "t", "T", "T", "T"]])
    assert [p.code for p in _problems(german)] == ["PMP175"]
    missing_list = workbook([["type", "name", LV, EN], ["select_one nowhere", "q", "J", "Q"]], CHOICES)
    assert [p.code for p in _problems(missing_list)] == ["PMP170"]
    assert [p.code for p in _problems(b"not a workbook")] == ["PMP171"]


def test_check_problems_point_at_the_survey_row() -> None:
    # show_if about a later question: the instrument's own check (PMP131), located at the row
    rows = [HEAD, ["text", "t", "T", "T", None, "${q} = 'yes'", None, None, None]]
    rows.append(["select_one yn", "q", "J", "Q", None, None, None, None, None])
    [problem] = _problems(workbook(rows, CHOICES))
    assert problem.code == "PMP131" and problem.path.startswith("survey row 2 (questions[0]")


def test_every_xlsform_code_is_exercised() -> None:
    exercised = {"PMP170", "PMP171", "PMP172", "PMP173", "PMP174", "PMP175", "PMP176", "PMP177", "PMP178", "PMP179"}
    assert {k.code for k in Problems.all() if k.code >= "PMP170"} == exercised | {"PMP190"}  # warnings above


def test_cli_export_then_import(surveys_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    form = tmp_path / "tses.xlsx"
    assert main(["xlsform", "export", "teacher-self-efficacy", "--out", str(form), "--surveys", str(surveys_dir)]) == 0
    out = tmp_path / "tses.toml"
    assert main(["xlsform", "import", str(form), "--out", str(out)]) == 0
    [original] = [i for i in instruments(surveys_dir) if i.key == "teacher-self-efficacy"]
    assert load_instrument_file(out).instrument == original
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([HEAD, ["geopoint", "where", "Kur", "Where", None, None, None, None, None]]))
    assert main(["xlsform", "import", str(bad), "--out", str(tmp_path / "bad.toml")]) == 1
    assert "PMP172" in capsys.readouterr().err and not (tmp_path / "bad.toml").exists()


def test_labels_starting_with_equals_stay_text(surveys_dir: Path) -> None:
    import msgspec

    x = instruments(surveys_dir)[0]
    raw = msgspec.to_builtins(x)
    raw["questions"][0]["label"]["en"] = '=HYPERLINK("http://x")'
    y = msgspec.convert(raw, Instrument)
    data = export_xlsform(y)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert not [c.coordinate for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert import_xlsform(data).instrument == y
