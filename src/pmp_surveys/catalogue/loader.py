"""Load ``analysis/municipalities/*.toml`` into a frozen :class:`Catalogue`, checking every rule.

Structural problems (TOML syntax, unknown fields, wrong types) come from msgspec; the loader converts
each indicator and school separately so that all of them are reported, not only the first. Cross-field
rules are checked afterwards. Every problem of every file is collected into one :class:`CatalogueError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from pmp_surveys.catalogue.errors import CatalogueError, Problem
from pmp_surveys.catalogue.rules import check_municipality
from pmp_surveys.catalogue.schema import Catalogue, Indicator, Municipality, School

__all__ = [
    "DEFAULT_INSTRUMENTS",
    "Catalogue",
    "load_catalogue",
    "load_municipality_file",
    "parse_municipality",
]

#: Instrument keys and their scoring-rule ids, as fixed with the survey-instrument files.
DEFAULT_INSTRUMENTS: Mapping[str, frozenset[str]] = {
    "parent-satisfaction": frozenset({"high_satisfaction"}),
    "resident-perception": frozenset({"high_availability_rating"}),
    "teacher-self-efficacy": frozenset(
        {
            "high_self_efficacy",
            "feels_supported_leadership",
            "feels_supported_colleagues",
            "identification_practice",
            "attended_supervision",
        }
    ),
}

_AT_PATH = re.compile(r"\s*- at `\$\.?(?P<path>[^`]*)`$")
_FIELD = re.compile(r"field `(?P<field>[^`]+)`")
_LINE = re.compile(r"line (?P<line>\d+)")


def load_catalogue(root: Path, *, instruments: Mapping[str, frozenset[str]] | None = DEFAULT_INSTRUMENTS) -> Catalogue:
    """Load every ``<root>/municipalities/*.toml``; ``root`` is the ``analysis/`` folder.

    ``instruments`` maps instrument keys to their rule ids; pass ``None`` to skip that check.
    Raises :class:`CatalogueError` with every problem of every file.
    """
    folder = Path(root) / "municipalities"
    if not folder.is_dir():
        raise CatalogueError(
            [
                Problem(
                    code="CAT100",
                    file=str(folder),
                    path="",
                    message="the municipalities folder does not exist.",
                    fix="Point load_catalogue at the analysis/ folder holding municipalities/<code>.toml.",
                )
            ]
        )
    problems: list[Problem] = []
    found: dict[str, Municipality] = {}
    first_file: dict[str, str] = {}
    for path in sorted(folder.glob("*.toml")):
        municipality, file_problems = _parse_file(path, instruments)
        problems.extend(file_problems)
        if municipality is None:
            continue
        if municipality.code in found:
            problems.append(
                Problem(
                    code="CAT110",
                    file=path.name,
                    path="code",
                    message=f"code {municipality.code!r} is also used by {first_file[municipality.code]}.",
                    fix="Give each municipality one file and a unique code.",
                )
            )
            continue
        found[municipality.code] = municipality
        first_file[municipality.code] = path.name
    if problems:
        raise CatalogueError(problems)
    return Catalogue(municipalities=found)


def load_municipality_file(
    path: Path, *, instruments: Mapping[str, frozenset[str]] | None = DEFAULT_INSTRUMENTS
) -> Municipality:
    municipality, problems = _parse_file(Path(path), instruments)
    if problems or municipality is None:
        raise CatalogueError(problems)
    return municipality


def _parse_file(
    path: Path, instruments: Mapping[str, frozenset[str]] | None
) -> tuple[Municipality | None, list[Problem]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [
            Problem(code="CAT100", file=path.name, path="", message=f"cannot read: {exc}.", fix="Check the file.")
        ]
    return parse_municipality(data, file=path.name, expected_code=path.stem, instruments=instruments)


def parse_municipality(
    data: bytes | str,
    *,
    file: str = "<string>",
    expected_code: str | None = None,
    instruments: Mapping[str, frozenset[str]] | None = DEFAULT_INSTRUMENTS,
) -> tuple[Municipality | None, list[Problem]]:
    """Decode and check one municipality file; returns the municipality (``None`` if it could not
    be built) and every problem found. An empty problem list means the file is valid."""
    if isinstance(data, bytes):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, [
                Problem(
                    code="CAT100",
                    file=file,
                    path="",
                    message=f"not UTF-8 (byte {exc.start}).",
                    fix="Save the file as UTF-8.",
                )
            ]
    try:
        raw = msgspec.toml.decode(data)
    except msgspec.DecodeError as exc:
        match = _LINE.search(str(exc))
        return None, [
            Problem(
                code="CAT101",
                file=file,
                path="",
                line=int(match["line"]) if match else None,
                message=f"TOML syntax error: {exc}.",
                fix="Correct the TOML at that line (quote strings, one `key = value` per line).",
            )
        ]
    municipality, problems = _convert(raw, file)
    if municipality is None:
        return None, problems
    problems = list(check_municipality(municipality, file, expected_code, instruments))
    return (municipality if not problems else None), problems


# -- structure ---------------------------------------------------------------------------------------


def _convert(raw: dict[str, Any], file: str) -> tuple[Municipality | None, list[Problem]]:
    try:
        return msgspec.convert(raw, Municipality), []
    except msgspec.ValidationError as first:
        problems: list[Problem] = []
        parts: dict[str, type[Indicator] | type[School]] = {"indicators": Indicator, "schools": School}
        top = dict(raw)
        for key, struct in parts.items():
            items = raw.get(key)
            if not isinstance(items, list):
                continue
            top[key] = []
            for i, item in enumerate(items):
                try:
                    msgspec.convert(item, struct)
                except msgspec.ValidationError as exc:
                    problems.append(_validation_problem(exc, file, f"{key}[{i}]"))
        try:
            msgspec.convert(top, Municipality)
        except msgspec.ValidationError as exc:
            problems.append(_validation_problem(exc, file, ""))
        return None, problems or [_validation_problem(first, file, "")]


def _validation_problem(exc: msgspec.ValidationError, file: str, prefix: str) -> Problem:
    text = str(exc)
    match = _AT_PATH.search(text)
    inner = match["path"] if match else ""
    message = text[: match.start()] if match else text
    path = ".".join(p for p in (prefix, inner) if p).replace(".[", "[")
    field = _FIELD.search(message)
    if message.startswith("Object contains unknown field") and field:
        path = ".".join(p for p in (path, field["field"]) if p)
        return Problem(
            code="CAT102",
            file=file,
            path=path,
            message=f"unknown field `{field['field']}`.",
            fix="Remove it or correct its spelling; see analysis/catalogue.schema.json for allowed fields.",
        )
    if message.startswith("Object missing required field") and field:
        path = ".".join(p for p in (path, field["field"]) if p)
        return Problem(
            code="CAT104",
            file=file,
            path=path,
            message=f"required field `{field['field']}` is missing.",
            fix="Add it; see analysis/README.md for the format.",
        )
    return Problem(
        code="CAT103",
        file=file,
        path=path,
        message=f"{message}.",
        fix="Use the type and values given in analysis/catalogue.schema.json.",
    )
