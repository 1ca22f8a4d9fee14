"""Formats for statisticians: answers unchanged outside spreadsheets, CSV/XLSX safe, Stata, design as code."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import asyncpg
import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pyreadstat

from pmp_surveys.analysis import SurveyDesign, survey_proportion
from pmp_surveys.exports import service
from pmp_surveys.exports.codebook import codebook_csv, codebook_html, codebook_xlsx
from pmp_surveys.exports.design_code import POOLED
from pmp_surveys.exports.writers import write_dta
from pmp_surveys.spreadsheets import BOM, defuse

from .conftest import PARENT, RESIDENT, TEACHER, Arrange
from .helpers import SNAPSHOT, codebook_of, csv_bytes, parquet_file, sav_file, scope_of

RAW = ["+37120000000", "=1+1", "a;=HYPERLINK(1)", "-"]


async def dta_file(conn: asyncpg.Connection, slug: str, path: Path, **kw: Any) -> int:
    async with conn.transaction(**SNAPSHOT):
        scope = await scope_of(conn, slug, **kw)
        shield = await service.protection(conn, scope)
        return await write_dta(service.column_batches(conn, scope, shield), scope.variables, path)


def test_defuse_cells_and_semicolon_parts() -> None:
    assert defuse("=1+1") == "'=1+1"
    assert defuse(";=1+1") == ";'=1+1"  # Excel with ';' as list separator makes two cells of it
    assert defuse("labi; =SUM(A1)") == "labi; '=SUM(A1)"
    assert defuse("a;b;@x") == "a;b;'@x"
    assert defuse("1 = 1; viss labi") == "1 = 1; viss labi"
    assert defuse("+371 2000") == "'+371 2000"


async def test_binary_formats_keep_answers_unchanged(arrange: Arrange, pg: asyncpg.Connection, tmp_path: Path) -> None:
    c = await arrange.campaign("exp-raw")
    for text in RAW:
        await arrange.respond(c, PARENT | {"comment": text})

    sav, parquet, dta = tmp_path / "r.sav", tmp_path / "r.parquet", tmp_path / "r.dta"
    await sav_file(pg, "exp-raw", sav, include_text=True)
    await parquet_file(pg, "exp-raw", parquet, include_text=True)
    await dta_file(pg, "exp-raw", dta, include_text=True)

    frame, _ = pyreadstat.read_sav(str(sav), output_format="polars")
    assert sorted(frame["comment"].to_list()) == sorted(RAW)
    assert sorted(pq.read_table(parquet).column("comment").to_pylist()) == sorted(RAW)
    stata, _ = pyreadstat.read_dta(str(dta), output_format="polars")
    assert sorted(stata["comment"].to_list()) == sorted(RAW)
    # only the CSV defuses, and completely
    text = pl.read_csv(io.BytesIO(await csv_bytes(pg, "exp-raw", include_text=True)), infer_schema_length=0)
    assert sorted(text["comment"].to_list()) == sorted(["'+37120000000", "'=1+1", "a;'=HYPERLINK(1)", "'-"])


async def test_dta_read_back_with_labels(arrange: Arrange, pg: asyncpg.Connection, tmp_path: Path) -> None:
    c = await arrange.campaign("exp-dta", "resident-perception")
    await arrange.respond(c, RESIDENT, times=2)
    await arrange.respond(c, RESIDENT | {"availability_rating": "dont_know"})
    record = await arrange.record("resident-perception")
    question = record.instrument.question("availability_rating")
    path = tmp_path / "out.dta"

    assert await dta_file(pg, "exp-dta", path, lang="lv") == 3

    frame, meta = pyreadstat.read_dta(str(path), output_format="polars")
    assert sorted(frame["availability_rating"].to_list()) == [4, 4, 99]
    assert meta.column_names_to_labels["availability_rating"] == question.label.lv[:80] or meta.column_names_to_labels[
        "availability_rating"
    ].endswith("...")
    labels = meta.variable_value_labels["availability_rating"]
    assert labels[4] and labels[99]
    assert meta.variable_value_labels["services_known__career"] == {0: "Nav atzīmēts", 1: "Atzīmēts"}
    assert "services_known__interest_edu_01" in frame.columns  # at most 31 characters
    assert meta.column_names_to_labels["services_known__interest_edu_01"].startswith(
        "services_known__interest_education:"
    )
    applied, _ = pyreadstat.read_dta(str(path), apply_value_formats=True, output_format="polars")
    assert "Nav atzīmēts" in applied["services_known__other"].to_list()


async def test_codebook_csv_has_bom_and_xlsx_keeps_text(arrange: Arrange, pg: asyncpg.Connection) -> None:
    await arrange.campaign("exp-cbx", "teacher-self-efficacy")
    book = await codebook_of(pg, "exp-cbx", lang="lv")

    data = codebook_csv(book)
    assert data.startswith(BOM.encode())
    assert "ģ" in data.decode("utf-8-sig") or "ā" in data.decode("utf-8-sig")
    workbook = openpyxl.load_workbook(io.BytesIO(codebook_xlsx(book)))
    assert workbook.sheetnames[:2] == ["variables", "scoring"]
    rows = list(workbook["variables"].iter_rows(values_only=True))
    assert rows[0][0] == "variable" and rows[1][0] == "response"
    assert "design" in workbook.sheetnames


async def test_design_code_reproduces_the_stratified_estimate(
    arrange: Arrange, pg: asyncpg.Connection, tmp_path: Path
) -> None:
    c = await arrange.campaign("exp-design", "teacher-self-efficacy")
    a, b, small = (
        await arrange.school("skola-a", teachers=30),
        await arrange.school("skola-b", teachers=12),
        await arrange.school("skola-c", teachers=7),
    )
    await arrange.respond(c, TEACHER, school=a, times=6)
    await arrange.respond(c, TEACHER | {"attended_supervision": "no"}, school=a, times=2)
    await arrange.respond(c, TEACHER | {"attended_supervision": "no"}, school=b, times=5)
    await arrange.respond(c, TEACHER, school=small, times=3)
    book = await codebook_of(pg, "exp-design", thresholds={"bauska": 5})
    assert book.design is not None and book.design.design == "stratified"
    # schools still named in the file are strata with their head-count; rows whose school was
    # blanked (k-anonymity) are pooled, with the head-counts of the schools never named
    assert set(book.design.strata_sizes) <= {"skola-a", "skola-b", "skola-c", POOLED}
    assert "svydesign(ids = ~1, strata = ~school, fpc = ~fpc, data = d)" in book.design.r
    assert "Izlases dizains kā kods" in codebook_html(book).decode()  # the codebook is Latvian (lang lv)

    data = await csv_bytes(pg, "exp-design", thresholds={"bauska": 5})
    (tmp_path / "exp-design.csv").write_bytes(data)
    example = next(v.name for v in book.variables if v.source == "codes")
    lines = book.design.python.replace(f'"{example}"', '"attended_supervision"').splitlines()
    lines[-1] = "result = " + lines[-1]
    namespace: dict[str, Any] = {}
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec("\n".join(lines), namespace)
    finally:
        os.chdir(cwd)
    result = namespace["result"]
    # independently: the same design built by hand from the exported file ("yes" has code 1)
    exported = pl.read_csv(data, schema_overrides={"school": pl.String})
    school = exported.get_column("school").fill_null(POOLED)
    frame = pl.DataFrame(
        {
            "school": school,
            "y": exported.get_column("attended_supervision") == 1,
            "fpc": school.replace_strict(book.design.strata_sizes, return_dtype=pl.Int64),
        }
    )
    expected = survey_proportion(frame, "y", SurveyDesign(strata="school", fpc="fpc"), method="beta")
    assert result.n == exported.height == 15  # 16 answers, released in steps of 5
    assert abs(result.estimate - expected.estimate) < 1e-12
    assert abs(result.std_error - expected.std_error) < 1e-12


async def test_simple_design_code_for_other_surveys(arrange: Arrange, pg: asyncpg.Connection) -> None:
    await arrange.campaign("exp-simple")
    book = await codebook_of(pg, "exp-simple")
    assert book.design is not None and book.design.design == "simple"
    assert "prop.test(" in book.design.r and 'method="wilson"' in book.design.python


def test_python_design_code_matches_r_survey_on_the_reference_file(tmp_path: Path) -> None:
    """The codebook's Python call gives R's numbers (tests/exports/reference/design_example.R, R survey 4.1.1)."""
    from pmp_surveys.exports.design_code import design_code

    reference = Path(__file__).parent / "reference"
    out = (reference / "design_example.out").read_text().splitlines()
    expected = dict(line.split("=") for line in out if re.match(r"^[a-z_]+=", line))
    code = design_code(
        "design-example", "attended_supervision", headcounts={"skola-a": 30, "skola-b": 12}, blanked_headcounts=[7]
    )
    assert code.r in (reference / "design_example.R").read_text()  # the file runs exactly the codebook's R code
    (tmp_path / "design-example.csv").write_bytes((reference / "design-example.csv").read_bytes())
    lines = code.python.splitlines()
    lines[-1] = "result = " + lines[-1]
    namespace: dict[str, Any] = {}
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec("\n".join(lines), namespace)
    finally:
        os.chdir(cwd)
    result = namespace["result"]
    for name in ("estimate", "std_error", "ci_low", "ci_high"):
        assert abs(getattr(result, name) - float(expected[name])) < 1e-9, name
