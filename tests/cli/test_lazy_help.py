"""`pmp-surveys --help` imports no sub-command module; the help table matches the modules."""

from __future__ import annotations

import argparse
import subprocess
import sys

from pmp_surveys.cli import COMMANDS, build_parser


def test_help_imports_no_subcommand_module() -> None:
    code = (
        "import sys\n"
        "from pmp_surveys.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in sys.modules if m.startswith(('litestar', 'sqlalchemy', 'polars', 'statsmodels', "
        "'pmp_surveys.cli.', 'uvicorn'))]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "serve" in out and "HEAVY []" in out, out


def test_help_table_matches_the_modules() -> None:
    parser = build_parser(load_all=True)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    registered = {action.dest: action.help for action in sub._choices_actions}
    assert registered == {name: help_ for name, (_, help_) in COMMANDS.items()}
