"""Migrations: upgrade from empty, no drift between models and migrations, downgrade to empty."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy.engine import make_url

from pmp_surveys.db import migrate
from pmp_surveys.settings import project_root
from tests.conftest import _admin

MIGRATIONS = project_root() / "migrations"


def test_upgrade_from_empty_has_no_drift_and_downgrades_cleanly(database_url: str) -> None:
    name = f"pmp_mig_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(database_url, f'CREATE DATABASE "{name}"'))
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url, MIGRATIONS)
        migrate.check(url, MIGRATIONS)  # raises if models and migrations disagree
        migrate.downgrade(url, MIGRATIONS, "base")
        migrate.upgrade(url, MIGRATIONS)
    finally:
        asyncio.run(_admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
