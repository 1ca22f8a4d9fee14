"""Alembic driven from code: `pmp-surveys db upgrade|check|revision` and the test set-up."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config


def alembic_config(url: str, migrations_dir: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    # '%' is Alembic's interpolation character; socket paths and passwords may contain it.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _in_thread(fn: object, *args: object) -> None:
    """Run an Alembic command in a fresh thread: env.py calls asyncio.run(), which refuses to
    run inside an already running event loop (tests, the app's start-up)."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            fn(*args)  # type: ignore[operator]
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def upgrade(url: str, migrations_dir: Path, revision: str = "head") -> None:
    _in_thread(command.upgrade, alembic_config(url, migrations_dir), revision)


def downgrade(url: str, migrations_dir: Path, revision: str) -> None:
    _in_thread(command.downgrade, alembic_config(url, migrations_dir), revision)


def check(url: str, migrations_dir: Path) -> None:
    """Raise if the models and the migrations disagree (alembic check)."""
    _in_thread(command.check, alembic_config(url, migrations_dir))


def revision(url: str, migrations_dir: Path, message: str) -> None:
    _in_thread(command.revision, alembic_config(url, migrations_dir), message, True)
