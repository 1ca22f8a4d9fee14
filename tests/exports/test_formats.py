"""Each export format round-trips, with labels in the chosen language and nothing identifying."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import asyncpg
import msgspec
import polars as pl
import pyarrow.parquet as pq
import pyreadstat
import pytest

from pmp_surveys.exports.codebook import codebook_csv, codebook_html, codebook_json, neutralize
from pmp_surveys.instruments.coding import DONT_KNOW_CODE
from pmp_surveys.instruments.definition import LikertQuestion

from .conftest import PARENT, RESIDENT, TEACHER, Arrange
from .helpers import NO_SDC, codebook_of, csv_bytes, parquet_file, sav_file

IDENTIFYING = {"id", "idempotency_key", "fingerprint", "submitted_on", "campaign_id", "school_id", "ip"}


def read_csv(data: bytes) -> pl.DataFrame:
    return pl.read_csv(io.BytesIO(data), infer_schema_length=0)


async def test_csv_columns_coding_and_month(arrange: Arrange, pg: asyncpg.Connection) -> None:
    c = await arrange.campaign("exp-parents")
    await arrange.respond(c, PARENT, day=dt.date(2026, 10, 3))
    await arrange.respond(c, PARENT | {"overall_satisfaction": 2, "comment": "Labi"}, day=dt.date(2026, 11, 28))

    frame = read_csv(await csv_bytes(pg, "exp-parents"))

    assert frame.columns[:3] == ["response", "wave", "submitted_month"]
    assert "school" not in frame.columns  # parents: no school column
    assert not IDENTIFYING & set(frame.columns)
    assert "comment" not in frame.columns and "programme_other" not in frame.columns  # text left out by default
    assert frame["response"].to_list() == ["1", "2"]
    assert frame["submitted_month"].to_list() == ["2026-10", "2026-11"]  # the month, never the day
    assert frame["wave"].to_list() == ["2026", "2026"]
    assert frame["programme"].to_list() == ["2", "2"]  # option code of "cap"
    assert frame["overall_satisfaction"].to_list() == ["4", "2"]
    assert frame["would_recommend"].to_list() == ["1", "1"]


async def test_multiple_choice_and_unanswered(arrange: Arrange, pg: asyncpg.Connection) -> None:
    c = await arrange.campaign("exp-res", "resident-perception")
    await arrange.respond(c, RESIDENT)
    await arrange.respond(c, {"aware": "no", "availability_rating": "dont_know", "school_age_children": "yes"})

    frame = read_csv(await csv_bytes(pg, "exp-res")).sort("aware", descending=True)  # rows come shuffled

    assert frame["services_known__career"].to_list() == ["1", None]  # not shown → empty
    assert frame["services_known__other"].to_list() == ["0", None]
    assert frame["availability_rating"].to_list() == ["4", str(DONT_KNOW_CODE)]
    assert frame["age_band"].to_list() == ["3", None]


async def test_text_included_on_request_with_formulas_defused(arrange: Arrange, pg: asyncpg.Connection) -> None:
    c = await arrange.campaign("exp-text")
    comments = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "Parasts teksts, ar komatu\nun rindu"]
    for text in comments:
        await arrange.respond(c, PARENT | {"comment": text})

    frame = read_csv(await csv_bytes(pg, "exp-text", include_text=True))

    assert sorted(frame["comment"].to_list()) == [
        "'+1",
        "'-2",
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "Parasts teksts, ar komatu\nun rindu",
    ]
    assert frame["programme_other"].to_list() == [None] * 5


def test_neutralize_tab_and_carriage_return() -> None:
    # The validator strips surrounding whitespace, but stored data may predate it: defuse anyway.
    assert neutralize("\t=1") == "'\t=1"
    assert neutralize("\r=1") == "'\r=1"
    assert neutralize("1 = 1") == "1 = 1"
    assert neutralize("") == ""


async def test_parquet_round_trip_with_labels(arrange: Arrange, pg: asyncpg.Connection, tmp_path: Path) -> None:
    c = await arrange.campaign("exp-pq", "resident-perception")
    await arrange.respond(c, RESIDENT, times=3)
    await arrange.respond(c, RESIDENT | {"availability_rating": "dont_know"})
    path = tmp_path / "out.parquet"

    rows = await parquet_file(pg, "exp-pq", path, lang="en")

    assert rows == 4
    frame = pl.read_parquet(path)
    expected = read_csv(await csv_bytes(pg, "exp-pq"))
    assert frame.columns == expected.columns
    assert sorted(frame["availability_rating"].to_list()) == [4, 4, 4, 99]
    assert frame["response"].to_list() == [1, 2, 3, 4]  # numbered after shuffling
    schema = pq.read_schema(path)
    field = schema.field("availability_rating")
    assert field.metadata[b"label"].decode().startswith("How would you rate the availability")
    values = msgspec.json.decode(field.metadata[b"values"])
    assert values["5"] == "Very good" and values["99"] == "Don't know / hard to say"
    assert field.metadata[b"missing"] == b"99"
    book = msgspec.json.decode(schema.metadata[b"pmp_surveys.codebook"])
    assert book["language"] == "en" and book["responses"] == 4


@pytest.mark.parametrize("lang", ["lv", "ru", "uk", "en"])
async def test_sav_round_trip_labels_and_user_missing(
    arrange: Arrange, pg: asyncpg.Connection, tmp_path: Path, lang: str
) -> None:
    c = await arrange.campaign("exp-sav", "resident-perception")
    await arrange.respond(c, RESIDENT, times=2)
    await arrange.respond(c, RESIDENT | {"availability_rating": "dont_know"})
    path = tmp_path / "out.sav"
    record = await arrange.record("resident-perception")
    question = record.instrument.question("availability_rating")
    assert isinstance(question, LikertQuestion) and question.labels is not None

    assert await sav_file(pg, "exp-sav", path, lang=lang) == 3

    frame, meta = pyreadstat.read_sav(str(path), user_missing=True, output_format="polars")
    assert sorted(frame["availability_rating"].to_list()) == [4, 4, 99]
    assert meta.column_names_to_labels["availability_rating"] == question.label.get(lang)  # type: ignore[arg-type]
    labels = meta.variable_value_labels["availability_rating"]
    assert labels[1.0] == question.labels[0].get(lang)  # type: ignore[arg-type]
    assert 99.0 in labels
    assert meta.missing_ranges["availability_rating"] == [{"lo": 99.0, "hi": 99.0}]
    # Without user_missing, SPSS semantics: 99 is missing.
    plain, _ = pyreadstat.read_sav(str(path), output_format="polars")
    assert plain["availability_rating"].null_count() == 1 and 99 not in plain["availability_rating"].to_list()
    assert not IDENTIFYING & set(frame.columns)


async def test_sav_of_an_empty_campaign(arrange: Arrange, pg: asyncpg.Connection, tmp_path: Path) -> None:
    await arrange.campaign("exp-empty", "teacher-self-efficacy")
    path = tmp_path / "empty.sav"
    assert await sav_file(pg, "exp-empty", path) == 0
    frame, meta = pyreadstat.read_sav(str(path), output_format="polars")
    assert frame.height == 0 and "tses_01" in meta.column_names


async def test_small_schools_lose_their_code(arrange: Arrange, pg: asyncpg.Connection) -> None:
    """The school is a quasi-identifier: 4 rows of one school cannot keep their code, and the
    blank rows are a group of at least k (here everyone's code goes: 4 + 5 rows, no other school)."""
    c = await arrange.campaign("exp-teachers", "teacher-self-efficacy")
    big, small = await arrange.school("liela-skola"), await arrange.school("maza-skola", teachers=6)
    await arrange.respond(c, TEACHER, school=big, times=5)
    await arrange.respond(c, TEACHER, school=small, times=5)
    await arrange.respond(c, TEACHER, school=small, times=1)  # 11 responses: 10 released

    frame = read_csv(await csv_bytes(pg, "exp-teachers", thresholds={"bauska": 5}))

    assert frame.columns[:4] == ["response", "school", "wave", "submitted_month"]
    assert frame.height == 10
    assert frame["school"].value_counts().sort("school").rows() == [("liela-skola", 5), ("maza-skola", 5)]
    book = await codebook_of(pg, "exp-teachers", thresholds={"bauska": 5})
    assert book.values_blanked == {} and "school" in book.quasi_identifiers
    assert any("k-anonimitāte" in note for note in book.notes)  # the codebook's language (lv)
    # A stricter threshold blanks both (and the blank group is all 10 rows).
    stricter = read_csv(await csv_bytes(pg, "exp-teachers", thresholds={"bauska": 6}))
    assert stricter.height == 6 and stricter["school"].null_count() == 6


async def test_codebook_formats(arrange: Arrange, pg: asyncpg.Connection) -> None:
    await arrange.campaign("exp-cb", "teacher-self-efficacy")
    book = await codebook_of(pg, "exp-cb", lang="en")

    names = [v.name for v in book.variables]
    assert names[:4] == ["response", "school", "wave", "submitted_month"]
    assert "tses_12" in names and "uses_identification" in names
    tses = next(v for v in book.variables if v.name == "tses_01")
    assert (tses.values[0].code, tses.values[0].label) == (1, "Nothing")
    uses = next(v for v in book.variables if v.name == "uses_identification")
    assert uses.shown_if == "learned_identification in [yes]"
    rules = {r.id: r for r in book.scoring}
    assert rules["high_self_efficacy"].definition.startswith("share of respondents with tses_total >= 7")
    assert "at least 10 valid items" in rules["tses_total"].definition

    decoded = msgspec.json.decode(codebook_json(book))
    assert decoded["instrument"] == "teacher-self-efficacy" and len(decoded["variables"]) == len(names)
    rows = pl.read_csv(io.BytesIO(codebook_csv(book)), infer_schema_length=0)
    assert rows["variable"].to_list() == names
    assert rows.filter(pl.col("variable") == "tses_01")["values"].item().startswith("1=Nothing; 3=Very little")
    page = codebook_html(book).decode()
    assert page.startswith("<!doctype html>") and '<html lang="en">' in page
    assert "Efficacy in student engagement" in page and "tses_total" in page


async def test_latvian_codebook_is_latvian(arrange: Arrange, pg: asyncpg.Connection) -> None:
    """`export --format codebook --lang lv`: no English words from our list and no variable id
    outside the <code> elements that name the variables themselves (issue #11)."""
    import re

    from tests.reports.latvian_scan import english_words, variable_ids, visible_text

    for key in ("teacher-self-efficacy", "parent-satisfaction", "resident-perception"):
        await arrange.campaign(f"exp-lv-{key}", key)
        page = codebook_html(await codebook_of(pg, f"exp-lv-{key}", lang="lv")).decode()
        assert '<html lang="lv">' in page
        text = visible_text(re.sub(r"<code>.*?</code>", " ", page, flags=re.S))
        assert english_words(text) == [], key
        assert variable_ids(text) == [], key


async def test_wave_export_spans_campaigns(arrange: Arrange, pg: asyncpg.Connection) -> None:
    from pmp_surveys.exports import service

    a = await arrange.campaign("exp-wave-a")
    b = await arrange.campaign("exp-wave-b")
    await arrange.campaign("exp-wave-other-year", wave=2024)
    await arrange.respond(a, PARENT, times=2)
    await arrange.respond(b, PARENT, times=3)
    scope = await service.wave_scope(
        pg, "bauska", "parent-satisfaction", 2026, user=None, lang="lv", include_text=False, thresholds=NO_SDC
    )
    assert [c.slug for c in scope.campaigns] == ["exp-wave-a", "exp-wave-b"]
    assert scope.base_name == "bauska-parent-satisfaction-2026"
    async with pg.transaction(isolation="repeatable_read", readonly=True):
        shield = await service.protection(pg, scope)
        batches = [b async for b in service.column_batches(pg, scope, shield)]
    assert sum(len(b["response"]) for b in batches) == 5
