"""`pmp-surveys db upgrade|check|downgrade`: Alembic migrations."""

from __future__ import annotations

import argparse
from typing import Any

from pmp_surveys.cli.runtime import describe_database, settings_with_database
from pmp_surveys.db import migrate


def register(commands: Any) -> None:
    db = commands.add_parser("db", help="database migrations")
    sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    up = sub.add_parser("upgrade", help="apply migrations up to REVISION (default head)")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(handler=upgrade)
    down = sub.add_parser("downgrade", help="revert migrations down to REVISION")
    down.add_argument("revision")
    down.set_defaults(handler=downgrade)
    check = sub.add_parser("check", help="fail if the models and the migrations disagree")
    check.set_defaults(handler=check_drift)


def upgrade(args: argparse.Namespace) -> int:
    settings = settings_with_database()
    migrate.upgrade(settings.database_url or "", settings.migrations_dir, args.revision)
    print(f"database {describe_database(settings)} upgraded to {args.revision}")
    return 0


def downgrade(args: argparse.Namespace) -> int:
    settings = settings_with_database()
    migrate.downgrade(settings.database_url or "", settings.migrations_dir, args.revision)
    print(f"database {describe_database(settings)} downgraded to {args.revision}")
    return 0


def check_drift(args: argparse.Namespace) -> int:
    settings = settings_with_database()
    migrate.upgrade(settings.database_url or "", settings.migrations_dir)
    migrate.check(settings.database_url or "", settings.migrations_dir)
    print("models and migrations agree")
    return 0
