"""Print the JSON Schema of the instrument file format: `python -m pmp_surveys.instruments.jsonschema`.

The committed copy is `surveys/instrument.schema.json`; a test keeps it equal to this output.
"""

from __future__ import annotations

import sys

import msgspec

from .definition import Instrument


def schema_json() -> bytes:
    """The schema as pretty-printed JSON with a trailing newline (the committed file's bytes)."""
    raw = msgspec.json.encode(msgspec.json.schema(Instrument), order="sorted")
    return msgspec.json.format(raw, indent=2) + b"\n"


def main() -> None:
    sys.stdout.buffer.write(schema_json())


if __name__ == "__main__":
    main()
