from __future__ import annotations

import json
import subprocess
import sys

import msgspec

from pmp_surveys.instruments.definition import Instrument
from pmp_surveys.instruments.jsonschema import schema_json

from .conftest import SURVEYS


def test_committed_schema_is_up_to_date() -> None:
    committed = (SURVEYS / "instrument.schema.json").read_bytes()
    assert committed == schema_json(), (
        "surveys/instrument.schema.json is stale: run "
        "`python -m pmp_surveys.instruments.jsonschema > surveys/instrument.schema.json`"
    )


def test_module_prints_the_schema() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pmp_surveys.instruments.jsonschema"], capture_output=True, check=True
    ).stdout
    assert out == schema_json()
    assert json.loads(out) == msgspec.json.schema(Instrument)


def test_schema_is_strict_and_tagged() -> None:
    schema = json.loads(schema_json())
    defs = schema["$defs"]
    assert defs["Text"]["additionalProperties"] is False
    assert sorted(defs["Text"]["required"]) == ["en", "lv", "ru", "uk"]
    assert defs["LikertQuestion"]["properties"]["kind"] == {"enum": ["likert"]}
    assert "in" in defs["ShowIf"]["properties"]
