"""Importing other tools' submissions: ODK/Kobo CSV, LimeSurvey .sav, a mapped spreadsheet — all or nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import asyncpg
import openpyxl
import polars as pl
import pyreadstat
import pytest

from pmp_surveys.cli import build_parser
from pmp_surveys.cli.responses import _run
from pmp_surveys.responses.import_repository import use_json_codecs
from pmp_surveys.responses.import_service import ImportRejected, import_responses
from pmp_surveys.responses.import_sources import ImportMapping, read_table
from pmp_surveys.settings import Settings
from tests.exports.conftest import Arrange

HEADER = "SubmissionDate,start,end,deviceid,programme,overall_satisfaction,aspects-aspect_topics,"
HEADER += "aspects-aspect_leader,aspects-aspect_atmosphere,aspects-aspect_skills,would_recommend,"
HEADER += "confidence_change,child_age,comment,meta-instanceID"


def odk_row(instance: str, satisfaction: int = 4, comment: str = "") -> str:
    when = "2024-05-14T18:03:11.512Z"
    return f"{when},{when},{when},collect:abc123,cap,{satisfaction},4,5,3,4,yes,4,age_13_17,{comment},uuid:{instance}"


async def stored(pg: asyncpg.Connection, slug: str) -> list[asyncpg.Record]:
    return await pg.fetch(
        "SELECT r.mode, r.source, r.submitted_on, r.codes FROM responses r JOIN campaigns c ON c.id = r.campaign_id "
        "WHERE c.slug = $1 ORDER BY r.id",
        slug,
    )


async def run(pg: asyncpg.Connection, slug: str, data: bytes, name: str, source: Any, **kw: Any) -> Any:
    await use_json_codecs(pg)
    return await import_responses(pg, slug, read_table(data, name), source=source, label=f"{source}:{name}", **kw)


async def test_odk_csv_with_duplicate_instance_ids(arrange: Arrange, pg: asyncpg.Connection) -> None:
    await arrange.campaign("imp-odk", wave=2024)
    lines = [HEADER, odk_row("a1"), odk_row("a2", 5), odk_row("a1"), odk_row("a3", 2, "Paldies")]
    data = ("\n".join(lines) + "\n").encode()

    report = await run(pg, "imp-odk", data, "parents-2024.csv", "odk")

    assert (report.rows_read, report.imported, report.duplicates) == (4, 3, [(4, 2)])
    dropped = dict(report.dropped_columns)
    assert dropped["deviceid"].startswith("identifying") and dropped["start"].startswith("identifying")
    assert dropped["SubmissionDate"] == "timestamp: only the day is kept"
    rows = await stored(pg, "imp-odk")
    assert [(r["mode"], r["source"], r["submitted_on"]) for r in rows] == [
        ("tablet", "odk:parents-2024.csv", dt.date(2024, 5, 14))
    ] * 3
    assert sorted(r["codes"][1] for r in rows) == [2, 4, 5]  # overall_satisfaction
    assert "row 4 skipped: a duplicate of row 2" in report.lines()

    again = await run(pg, "imp-odk", data, "parents-2024.csv", "odk")
    assert (again.imported, again.already_imported) == (0, 3)
    assert len(await stored(pg, "imp-odk")) == 3

    clash = ("\n".join([HEADER, odk_row("b1"), odk_row("b1", 1)]) + "\n").encode()
    with pytest.raises(ImportRejected) as info:
        await run(pg, "imp-odk", clash, "clash.csv", "odk")
    assert [(p.row, p.column) for p in info.value.report.problems] == [(3, "instanceID")]


async def test_limesurvey_sav_with_codes_and_a_mapping(
    arrange: Arrange,
    pg: asyncpg.Connection,
    tmp_path: Path,
) -> None:
    await arrange.campaign("imp-lime", wave=2024)
    frame = pl.DataFrame(
        {
            "id": [1, 2],
            "submitdate": ["2024-03-01 10:11:12", "2024-03-02 09:00:00"],
            "ipaddr": ["10.0.0.1", "10.0.0.2"],
            "PROG": [2.0, 1.0],
            "SAT": [4.0, 5.0],
            "A1": [4.0, 4.0],
            "A2": [5.0, 5.0],
            "A3": [3.0, 3.0],
            "A4": [4.0, 4.0],
            "REC": [1.0, 0.0],
            "CONF": [4.0, 3.0],
            "AGE": [4.0, 1.0],
        }
    )
    path = tmp_path / "survey_123.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"PROG": {1: "BEA", 2: "CAP"}})
    columns = {"PROG": "programme", "SAT": "overall_satisfaction", "A1": "aspect_topics", "A2": "aspect_leader"}
    columns |= {"A3": "aspect_atmosphere", "A4": "aspect_skills", "REC": "would_recommend"}
    columns |= {"CONF": "confidence_change", "AGE": "child_age", "id": ""}
    report = await run(
        pg, "imp-lime", path.read_bytes(), path.name, "limesurvey", mapping=ImportMapping(columns=columns)
    )

    assert report.imported == 2 and report.ok
    assert dict(report.dropped_columns)["ipaddr"].startswith("identifying")
    rows = await stored(pg, "imp-lime")
    assert [r["mode"] for r in rows] == ["web", "web"]
    assert sorted(r["submitted_on"] for r in rows) == [dt.date(2024, 3, 1), dt.date(2024, 3, 2)]
    assert sorted(r["codes"][0] for r in rows) == [1, 2]  # programme codes kept: BEA=1, CAP=2


def xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SHEET_HEADER = [
    "Programma",
    "Apmierinātība",
    "Tēmas",
    "Vadītājs",
    "Gaisotne",
    "Prasmes",
    "Ieteiktu",
    "Pārliecība",
    "Vecums",
]
MAPPING = ImportMapping(
    columns=dict(
        zip(
            SHEET_HEADER,
            [
                "programme",
                "overall_satisfaction",
                "aspect_topics",
                "aspect_leader",
                "aspect_atmosphere",
                "aspect_skills",
                "would_recommend",
                "confidence_change",
                "child_age",
            ],
            strict=True,
        )
    ),
    values={"would_recommend": {"Jā": "yes", "Nē": "no"}, "programme": {"CAP": "cap", "BEA": "bea"}},
)


async def test_spreadsheet_with_a_bad_row_imports_nothing(arrange: Arrange, pg: asyncpg.Connection) -> None:
    await arrange.campaign("imp-sheet", wave=2024)
    good = ["CAP", 4, 4, 5, 3, 4, "Jā", 4, "age_13_17"]
    bad = ["CAP", 7, 4, 5, 3, 4, "Varbūt", 4, "age_13_17"]
    data = xlsx([[*SHEET_HEADER, "Vārds"], [*good, "Anna"], [*bad, "Jānis"], [*good, "Pēteris"]])

    with pytest.raises(ImportRejected) as info:
        await run(pg, "imp-sheet", data, "vecaki.xlsx", "spreadsheet", mapping=MAPPING)

    report = info.value.report
    assert [(p.row, p.column) for p in report.problems] == [(3, "Apmierinātība"), (3, "Ieteiktu")]  # every problem
    assert "Varbūt" in report.problems[1].problem and "[values.would_recommend]" in report.problems[1].fix
    assert "1, 2, 3, 4, 5" in report.problems[0].fix
    assert dict(report.dropped_columns)["Vārds"].startswith("identifying")
    assert await stored(pg, "imp-sheet") == []  # all or nothing
    # a required answer missing: the instrument's own validation, at the row and column
    data = xlsx([SHEET_HEADER, good, ["CAP", None, 4, 5, 3, 4, "Jā", 4, "age_13_17"]])
    with pytest.raises(ImportRejected) as info:
        await run(pg, "imp-sheet", data, "vecaki.xlsx", "spreadsheet", mapping=MAPPING)
    [problem] = info.value.report.problems
    assert (problem.row, problem.column) == (3, "Apmierinātība") and "required" in problem.fix
    ok = await run(
        pg, "imp-sheet", xlsx([SHEET_HEADER, good, good]), "v.xlsx", "spreadsheet", mapping=MAPPING, keep_identical=True
    )
    assert ok.imported == 2 and [r["mode"] for r in await stored(pg, "imp-sheet")] == ["other", "other"]


async def test_identifying_column_mapped_to_a_question_is_refused(arrange: Arrange, pg: asyncpg.Connection) -> None:
    await arrange.campaign("imp-refuse", wave=2024)
    good = ["CAP", 4, 4, 5, 3, 4, "Jā", 4, "age_13_17"]
    data = xlsx([[*SHEET_HEADER, "E-pasts"], [*good, "anna@example.lv"], [*good, "janis@example.lv"]])
    mapping = ImportMapping(columns=MAPPING.columns | {"E-pasts": "comment"}, values=MAPPING.values)
    with pytest.raises(ImportRejected) as info:
        await run(pg, "imp-refuse", data, "v.xlsx", "spreadsheet", mapping=mapping)
    assert [c for c, _ in info.value.report.refused_columns] == ["E-pasts"]
    assert "e-mail addresses" in info.value.report.refused_columns[0][1]
    assert await stored(pg, "imp-refuse") == []


async def test_identical_rows_without_an_id_are_duplicates_by_content(arrange: Arrange, pg: asyncpg.Connection) -> None:
    await arrange.campaign("imp-hash", wave=2024)
    good = ["CAP", 4, 4, 5, 3, 4, "Jā", 4, "age_13_17"]
    other = ["BEA", 2, 4, 5, 3, 4, "Nē", 4, "age_0_3"]
    report = await run(
        pg, "imp-hash", xlsx([SHEET_HEADER, good, other, good]), "v.xlsx", "spreadsheet", mapping=MAPPING
    )
    assert (report.imported, report.duplicates) == (2, [(4, 2)])


async def test_command_line_import_and_dry_run(
    arrange: Arrange, pg: asyncpg.Connection, settings: Settings, tmp_path: Path
) -> None:
    await arrange.campaign("imp-cli", wave=2024)
    path = tmp_path / "kobo.csv"
    path.write_text("\n".join([HEADER.replace("meta-instanceID", "_uuid"), odk_row("k1"), odk_row("k2", 3)]) + "\n")
    argv = ["responses", "import", str(path), "--campaign", "imp-cli", "--source", "kobo"]

    dry = await _run(settings, build_parser().parse_args([*argv, "--dry-run"]))
    assert dry[-1] == "2 responses would be imported (dry run)" and await stored(pg, "imp-cli") == []
    lines = await _run(settings, build_parser().parse_args(argv))
    assert lines[-1] == "2 responses imported"
    assert "dropped column `deviceid`: identifying, not imported" in lines
    assert [r["source"] for r in await stored(pg, "imp-cli")] == ["kobo:kobo.csv"] * 2
