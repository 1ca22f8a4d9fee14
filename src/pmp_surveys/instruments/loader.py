"""Load instrument files: decode strictly, check cross-field rules, hash the canonical content."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import msgspec

from .checks import check_instrument
from .definition import LANGUAGES, Instrument
from .errors import DefinitionProblem, InstrumentDefinitionError, Problems

_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `(?P<field>[^`]*)`$")
_MISSING_FIELD = re.compile(r"^Object missing required field `(?P<field>[^`]*)`$")
_EXPECTED = re.compile(r"^Expected (?P<expected>.+?)(?:, got `(?P<got>[^`]*)`)?$")
_INVALID_TAG = re.compile(r"^Invalid value (?P<value>.+)$")
_TOML_WHERE = re.compile(r"\(at (?P<where>line \d+, column \d+|end of document)\)")

_KINDS = {
    "kind": "single, multiple, likert, number, text (questions); share, scale, threshold (scoring)",
}


class LoadedInstrument(msgspec.Struct, frozen=True, kw_only=True):
    """A checked instrument with where it came from and the hash of its canonical content."""

    instrument: Instrument
    source: Path
    content_hash: str
    canonical_json: bytes

    @property
    def key(self) -> str:
        return self.instrument.key


def canonical_json(instrument: Instrument) -> bytes:
    """Canonical JSON: keys sorted, defaults included, no whitespace.

    Formatting, comments and key order in the TOML do not change it; any content change does.
    """
    return msgspec.json.encode(msgspec.to_builtins(instrument), order="sorted")


def content_hash(instrument: Instrument) -> str:
    """sha256 hex digest of `canonical_json(instrument)`."""
    return hashlib.sha256(canonical_json(instrument)).hexdigest()


def _join(path: str, field: str) -> str:
    path = path.lstrip(".")
    return f"{path}.{field}" if path else field


def problem_from_validation(error: msgspec.ValidationError, file: Path | str) -> DefinitionProblem:
    """Translate msgspec's message into a catalogue problem with a dotted path."""
    m = _AT.match(str(error))
    assert m is not None  # the pattern matches any string
    msg, path = m["msg"], (m["path"] or "").lstrip(".")
    if fm := _UNKNOWN_FIELD.match(msg):
        return DefinitionProblem.make(Problems.UNKNOWN_FIELD, file, _join(path, fm["field"]), field=fm["field"])
    if fm := _MISSING_FIELD.match(msg):
        field = fm["field"]
        where = _join(path, field)
        if field in LANGUAGES:
            return DefinitionProblem.make(Problems.MISSING_TRANSLATION, file, where, lang=field)
        return DefinitionProblem.make(Problems.MISSING_FIELD, file, where, field=field)
    if (fm := _INVALID_TAG.match(msg)) and path.rsplit(".", 1)[-1] in _KINDS:
        return DefinitionProblem.make(Problems.UNKNOWN_KIND, file, path, detail=fm["value"], expected=_KINDS["kind"])
    if fm := _EXPECTED.match(msg):
        return DefinitionProblem.make(Problems.WRONG_TYPE, file, path, detail=msg, expected=fm["expected"])
    return DefinitionProblem.make(Problems.WRONG_TYPE, file, path, detail=msg, expected="valid here")


def decode_instrument(data: bytes | str, file: Path | str = "<string>") -> Instrument:
    """Decode and check TOML text; raise InstrumentDefinitionError listing every problem found."""
    try:
        instrument = msgspec.toml.decode(data, type=Instrument)
    except msgspec.ValidationError as e:
        raise InstrumentDefinitionError([problem_from_validation(e, file)]) from e
    except msgspec.DecodeError as e:
        where_m = _TOML_WHERE.search(str(e))
        where = where_m["where"] if where_m else "the reported position"
        problem = DefinitionProblem.make(Problems.TOML_SYNTAX, file, where, detail=str(e), where=where)
        raise InstrumentDefinitionError([problem]) from e
    problems = check_instrument(instrument, file)
    if problems:
        raise InstrumentDefinitionError(problems)
    return instrument


def load_instrument_file(path: Path) -> LoadedInstrument:
    """Read, decode and check one instrument file."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InstrumentDefinitionError([DefinitionProblem.make(Problems.UNREADABLE, path, "", detail=str(e))]) from e
    instrument = decode_instrument(data, path)
    canonical = canonical_json(instrument)
    return LoadedInstrument(
        instrument=instrument,
        source=path,
        content_hash=hashlib.sha256(canonical).hexdigest(),
        canonical_json=canonical,
    )


def load_instrument_dir(path: Path) -> list[LoadedInstrument]:
    """Load every `*.toml` in `path` (sorted by file name); report problems of all files at once."""
    loaded: list[LoadedInstrument] = []
    problems: list[DefinitionProblem] = []
    by_key: dict[str, Path] = {}
    for file in sorted(path.glob("*.toml")):
        try:
            item = load_instrument_file(file)
        except InstrumentDefinitionError as e:
            problems.extend(e.problems)
            continue
        if item.key in by_key:
            problems.append(
                DefinitionProblem.make(
                    Problems.DUPLICATE_INSTRUMENT_KEY, file, "key", key=item.key, other=by_key[item.key]
                )
            )
            continue
        by_key[item.key] = file
        loaded.append(item)
    if problems:
        raise InstrumentDefinitionError(problems)
    return loaded


def instrument_schema() -> dict[str, Any]:
    """The JSON Schema of the instrument file format."""
    return msgspec.json.schema(Instrument)
