"""Regenerate ``analysis/catalogue.schema.json``: ``python -m pmp_surveys.catalogue [path]``."""

from __future__ import annotations

import sys
from pathlib import Path

from pmp_surveys.catalogue.schema import render_json_schema


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path("analysis/catalogue.schema.json")
    target.write_text(render_json_schema(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
