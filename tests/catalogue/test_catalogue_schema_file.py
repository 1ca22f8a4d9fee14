"""The committed JSON Schema matches the structs; regenerate with `python -m pmp_surveys.catalogue`."""

from __future__ import annotations

from pathlib import Path

from pmp_surveys.catalogue import render_json_schema


def test_schema_file_up_to_date() -> None:
    committed = (Path(__file__).resolve().parents[2] / "analysis" / "catalogue.schema.json").read_text("utf-8")
    assert committed == render_json_schema(), "run `python -m pmp_surveys.catalogue` and commit the result"
