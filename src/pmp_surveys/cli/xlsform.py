"""`pmp-surveys xlsform export|import`: instruments as XLSForm (KoboToolbox, ODK Collect).

    pmp-surveys xlsform export parent-satisfaction --out parents.xlsx     # from PMP_SURVEYS_DIR
    pmp-surveys xlsform import form.xlsx --out surveys/my-form.toml [--fill-from en]

Export writes a workbook that pyxform converts without errors. Import prints every problem
(row, column, what, fix; same catalogue as instrument files) and writes nothing unless the
whole form imports; the file written is a normal instrument file, checked and hashed like
the others (load it with `surveys load`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pmp_surveys.instruments.definition import LANGUAGES
from pmp_surveys.instruments.errors import InstrumentError
from pmp_surveys.instruments.loader import load_instrument_dir, load_instrument_file
from pmp_surveys.settings import Settings


def register(commands: Any) -> None:
    xlsform = commands.add_parser("xlsform", help="instruments as XLSForm: export for Kobo/ODK, import a form")
    sub = xlsform.add_subparsers(dest="xlsform_command", required=True, metavar="ACTION")
    export = sub.add_parser("export", help="write an instrument as an XLSForm workbook")
    export.add_argument("instrument", help="instrument key (from PMP_SURVEYS_DIR) or a .toml file")
    export.add_argument("--out", required=True, type=Path, help="the .xlsx to write")
    export.add_argument("--surveys", type=Path, help="default: PMP_SURVEYS_DIR or ./surveys")
    export.set_defaults(handler=run_export)
    imp = sub.add_parser("import", help="turn an XLSForm into an instrument file")
    imp.add_argument("form", type=Path, help="the XLSForm (.xlsx)")
    imp.add_argument("--out", required=True, type=Path, help="the instrument file (.toml) to write")
    imp.add_argument("--fill-from", choices=LANGUAGES, help="copy missing translations from this language")
    imp.set_defaults(handler=run_import)


def run_export(args: argparse.Namespace) -> int:
    from pmp_surveys.instruments.xlsform_export import export_xlsform

    try:
        if args.instrument.endswith(".toml"):
            instrument = load_instrument_file(Path(args.instrument)).instrument
        else:
            directory = args.surveys or Settings.from_env().surveys_dir
            found = [i for i in load_instrument_dir(directory) if i.key == args.instrument]
            if not found:
                print(f"no instrument {args.instrument!r} in {directory}", file=sys.stderr)
                return 1
            instrument = found[0].instrument
    except InstrumentError as exc:
        print(exc, file=sys.stderr)
        return 1
    args.out.write_bytes(export_xlsform(instrument))
    print(f"wrote {instrument.key} v{instrument.version} ({len(instrument.questions)} questions) to {args.out}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from pmp_surveys.instruments.xlsform_import import import_xlsform, instrument_toml

    try:
        data = args.form.read_bytes()
    except OSError as exc:
        print(f"cannot read {args.form}: {exc}", file=sys.stderr)
        return 1
    try:
        result = import_xlsform(data, str(args.form), fill_from=args.fill_from)
    except InstrumentError as exc:
        print(exc, file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"note: {warning}", file=sys.stderr)
    args.out.write_text(instrument_toml(result.instrument), encoding="utf-8")
    loaded = load_instrument_file(args.out)  # the same checks and hash as every instrument file
    key = loaded.instrument.key
    print(f"wrote {key} v{loaded.instrument.version} to {args.out} (sha256 {loaded.content_hash[:12]})")
    return 0
