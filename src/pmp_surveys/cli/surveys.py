"""`pmp-surveys surveys validate|load`: instrument files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pmp_surveys.cli.runtime import run_in_session, settings_with_database
from pmp_surveys.instruments.errors import InstrumentError
from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.instruments.service import sync_instruments
from pmp_surveys.settings import Settings


def register(commands: Any) -> None:
    surveys = commands.add_parser("surveys", help="survey instrument files")
    sub = surveys.add_subparsers(dest="surveys_command", required=True, metavar="ACTION")
    validate = sub.add_parser("validate", help="check the instrument files; print every problem")
    validate.add_argument("directory", nargs="?", type=Path, help="default: PMP_SURVEYS_DIR or ./surveys")
    validate.set_defaults(handler=validate_files)
    load = sub.add_parser("load", help="store new instrument versions (unchanged files are skipped)")
    load.add_argument("directory", nargs="?", type=Path)
    load.set_defaults(handler=load_files)


def validate_files(args: argparse.Namespace) -> int:
    directory = args.directory or Settings.from_env().surveys_dir
    try:
        loaded = load_instrument_dir(directory)
    except InstrumentError as exc:
        print(exc, file=sys.stderr)
        return 1
    for item in loaded:
        print(f"ok  {item.instrument.key:<24} {item.content_hash[:12]}  {item.source}")
    return 0


def load_files(args: argparse.Namespace) -> int:
    settings = settings_with_database()
    directory = args.directory or settings.surveys_dir
    try:
        loaded = load_instrument_dir(directory)
    except InstrumentError as exc:
        print(exc, file=sys.stderr)
        return 1
    outcomes = run_in_session(settings, lambda session: sync_instruments(session, loaded))
    for o in outcomes:
        state = "new version" if o.created else "unchanged"
        print(f"{o.key:<24} v{o.version}  {o.content_hash[:12]}  {state}")
    return 0
