"""`pmp-surveys export`: the same export, written to a file from the command line."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyreadstat
import pytest

from pmp_surveys.cli import build_parser
from pmp_surveys.cli.export import export
from pmp_surveys.settings import Settings

from .conftest import PARENT, Arrange


@pytest.fixture
async def campaign(arrange: Arrange) -> str:
    c = await arrange.campaign("cli-parents")
    await arrange.respond(c, PARENT, times=4)
    await arrange.respond(c, PARENT | {"comment": "=cmd"})  # 5 responses: one step of k = 5
    return c.slug


@pytest.mark.parametrize("fmt", ["csv", "parquet", "sav"])
async def test_export_formats(settings: Settings, campaign: str, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    args = build_parser().parse_args(
        ["export", "--campaign", campaign, "--format", fmt, "--lang", "en", "--out", str(out)]
    )
    assert await export(settings, args) == 5
    if fmt == "csv":
        frame = pl.read_csv(out)
    elif fmt == "parquet":
        frame = pl.read_parquet(out)
    else:
        frame, meta = pyreadstat.read_sav(str(out), output_format="polars")
        assert str(meta.column_names_to_labels["overall_satisfaction"]).startswith("Overall, how satisfied")
    assert frame.height == 5 and "comment" not in frame.columns


async def test_export_codebook_and_text(settings: Settings, campaign: str, tmp_path: Path) -> None:
    page = tmp_path / "codebook.html"
    args = build_parser().parse_args(["export", "--campaign", campaign, "--format", "codebook", "--out", str(page)])
    assert await export(settings, args) > 10
    assert page.read_text().startswith("<!doctype html>")
    out = tmp_path / "with-text.csv"
    argv = ["export", "--campaign", campaign, "--format", "csv", "--include-text", "--out", str(out)]
    await export(settings, build_parser().parse_args(argv))
    assert pl.read_csv(out)["comment"].drop_nulls().to_list() == ["'=cmd"]


async def test_export_a_wave(settings: Settings, arrange: Arrange, tmp_path: Path) -> None:
    for slug in ("cli-wave-a", "cli-wave-b"):
        await arrange.respond(await arrange.campaign(slug), PARENT, times=3)
    out = tmp_path / "wave.csv"
    argv = ["export", "--municipality", "bauska", "--instrument", "parent-satisfaction", "--wave", "2026"]
    argv += ["--format", "csv", "--out", str(out)]
    assert await export(settings, build_parser().parse_args(argv)) == 5  # 6 responses, released in steps of 5
