"""The evaluators' CSV of administrative figures: a good file, and each row error."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pmp_surveys.catalogue import (
    AdminFiguresError,
    Catalogue,
    admin_figures_frame,
    load_catalogue,
    parse_admin_figures,
    read_admin_figures,
)
from pmp_surveys.errors import ValidationFailed


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue(Path(__file__).resolve().parents[2] / "analysis")


GOOD = """\
municipality,indicator,year,numerator,denominator,school
riga,R3,2024,39000,67529,
riga,R8a,2024,300,50000,
bauska,B3,2024,3000,4200,
bauska,B4,2024,18,22,
bauska,B5,2024,80,400,bauskas-valsts-gimnazija
bauska,B5,2024,30,120,iecavas-vidusskola
bauska,B9,2024,2,300,
"""


def errors(data: str | bytes, catalogue: Catalogue) -> list[tuple[str, int, str | None]]:
    with pytest.raises(AdminFiguresError) as info:
        parse_admin_figures(data, catalogue)
    return [(p.code, p.row, p.column) for p in info.value.problems]


def test_good_file(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(GOOD, encoding="utf-8")
    figures = read_admin_figures(path, catalogue)
    assert len(figures) == 7
    first = figures[0]
    assert (first.municipality, first.indicator, first.year, first.school, first.row) == (
        "riga",
        "R3",
        2024,
        None,
        2,
    )
    assert first.value == pytest.approx(39000 / 67529)
    assert figures[4].school == "bauskas-valsts-gimnazija"
    frame = admin_figures_frame(figures)
    assert frame.height == 7
    assert frame.schema["year"] == pl.Int32
    assert frame.filter(pl.col("indicator") == "B4")["value"].item() == pytest.approx(18 / 22)


def test_semicolon_bom_column_order_and_no_school_column(catalogue: Catalogue) -> None:
    data = "\ufeffyear;indicator;municipality;denominator;numerator\r\n2025;B7;bauska;900;400\r\n\r\n".encode()
    (fig,) = parse_admin_figures(data, catalogue)
    assert (fig.indicator, fig.numerator, fig.denominator, fig.school, fig.row) == ("B7", 400, 900, None, 2)


def test_empty_frame() -> None:
    assert admin_figures_frame([]).columns[-1] == "value"


def test_adm200_not_utf8_or_empty(catalogue: Catalogue) -> None:
    assert errors(b"municipality,indicator\n\xff\n", catalogue) == [("ADM200", 1, None)]
    assert errors("", catalogue) == [("ADM200", 1, None)]


def test_adm201_header(catalogue: Catalogue) -> None:
    assert errors("municipality,indicator,year,numerator\nriga,R3,2024,1\n", catalogue) == [("ADM201", 1, None)]
    assert errors("riga,R3,2024,1,2\n", catalogue) == [("ADM201", 1, None)]
    bad_extra = "municipality,indicator,year,numerator,denominator,comment\n"
    assert errors(bad_extra, catalogue) == [("ADM201", 1, None)]


def test_adm202_field_count(catalogue: Catalogue) -> None:
    assert errors("municipality,indicator,year,numerator,denominator\nriga,R3,2024,1\n", catalogue) == [
        ("ADM202", 2, None)
    ]


ROWS = [
    ("jelgava,R3,2024,1,2,", "ADM210", "municipality"),
    ("riga,R99,2024,1,2,", "ADM211", "indicator"),
    ("riga,R1,2024,1,2,", "ADM212", "indicator"),
    ("bauska,BT5,2024,1,2,", "ADM212", "indicator"),
    ("riga,R3,2024,1,2,some-school", "ADM213", "school"),
    ("bauska,B3,2024,1,2,nowhere", "ADM213", "school"),
    ("riga,R3,2024,1.5,2,", "ADM220", "numerator"),
    ("riga,R3,2024,1,-2,", "ADM220", "denominator"),
    ("riga,R3,2024,x,2,", "ADM220", "numerator"),
    ("riga,R3,2024,3,2,", "ADM221", "numerator"),
    ("riga,R3,2024,0,0,", "ADM222", "denominator"),
    ("riga,R3,1999,1,2,", "ADM223", "year"),
    ("riga,R3,2101,1,2,", "ADM223", "year"),
    ("riga,R3,2024.0,1,2,", "ADM223", "year"),
]


@pytest.mark.parametrize(("row", "code", "column"), ROWS, ids=[f"{c}-{r}" for r, c, _ in ROWS])
def test_row_errors(catalogue: Catalogue, row: str, code: str, column: str) -> None:
    data = "municipality,indicator,year,numerator,denominator,school\nriga,R4,2024,1,2,\n" + row + "\n"
    assert errors(data, catalogue) == [(code, 3, column)]


def test_adm230_duplicate_rows(catalogue: Catalogue) -> None:
    data = GOOD + "bauska,B5,2024,81,400,bauskas-valsts-gimnazija\nriga,R3,2024,1,2,\n"
    with pytest.raises(AdminFiguresError) as info:
        parse_admin_figures(data, catalogue)
    assert [(p.code, p.row) for p in info.value.problems] == [("ADM230", 9), ("ADM230", 10)]
    assert "row 6" in info.value.problems[0].message


def test_all_row_problems_reported_together_and_map_to_422(catalogue: Catalogue) -> None:
    data = "municipality,indicator,year,numerator,denominator\njelgava,R3,1900,-1,0\nriga,R1,2024,1,1\n"
    with pytest.raises(AdminFiguresError) as info:
        parse_admin_figures(data, catalogue)
    assert info.value.codes == ["ADM210", "ADM223", "ADM220", "ADM222", "ADM212"]
    assert isinstance(info.value, ValidationFailed)
    assert info.value.status_code == 422
    assert info.value.errors[0]["field"] == "row 2.municipality"
