"""Instrument versions in the database: immutable, content-hashed, pinned by responses."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.instruments.models import InstrumentVersion
from pmp_surveys.instruments.service import sync_instruments


async def test_loading_twice_stores_one_version_per_content(session: AsyncSession, surveys_dir: Path) -> None:
    first = await sync_instruments(session, load_instrument_dir(surveys_dir))
    again = await sync_instruments(session, load_instrument_dir(surveys_dir))
    await session.commit()
    assert all(o.created for o in first)
    assert not any(o.created for o in again)
    assert {o.version for o in again} == {1}
    rows = (await session.scalars(select(InstrumentVersion))).all()
    assert len(rows) == 3


async def test_a_changed_file_becomes_a_new_version_and_the_old_one_stays(
    session: AsyncSession, surveys_dir: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "surveys"
    shutil.copytree(surveys_dir, copy)
    await sync_instruments(session, load_instrument_dir(copy))
    path = copy / "parent-satisfaction.toml"
    text = path.read_text()
    changed = text.replace("Overall, how satisfied are you", "All in all, how satisfied are you", 1)
    assert changed != text
    path.write_text(changed)
    outcomes = {o.key: o for o in await sync_instruments(session, load_instrument_dir(copy))}
    await session.commit()
    assert outcomes["parent-satisfaction"].created
    assert outcomes["parent-satisfaction"].version == 2
    assert not outcomes["teacher-self-efficacy"].created
    versions = (
        await session.scalars(select(InstrumentVersion.version).where(InstrumentVersion.key == "parent-satisfaction"))
    ).all()
    assert sorted(versions) == [1, 2]


async def test_reformatting_a_file_is_not_a_new_version(
    session: AsyncSession, surveys_dir: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "surveys"
    shutil.copytree(surveys_dir, copy)
    await sync_instruments(session, load_instrument_dir(copy))
    path = copy / "resident-perception.toml"
    path.write_text("# a comment added by an editor\n\n" + path.read_text())
    outcomes = {o.key: o for o in await sync_instruments(session, load_instrument_dir(copy))}
    assert not outcomes["resident-perception"].created
