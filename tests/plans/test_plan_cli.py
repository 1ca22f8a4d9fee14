"""`analyze` and `report` use the latest stored plan version and `--catalogue N` an earlier one."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser
from pmp_surveys.accounts.models import User
from pmp_surveys.cli import main
from pmp_surveys.plans.service import IndicatorRevision, plan_version, revise_indicator, store_revision
from tests.indicators.conftest import Seeder, share_answers
from tests.indicators.test_api import sign_in


async def run(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


async def test_analyze_and_report_use_the_latest_version_or_the_one_asked_for(
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    tmp_path: Path,
    session: AsyncSession,
    seeded: Seeder,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PMP_DATABASE_URL", database_url)
    await seeded.responses("bauska", "parent-satisfaction", 2026, share_answers("overall_satisfaction", {5: 40, 2: 10}))
    await session.commit()
    assert await run("analyze", "--municipality", "bauska", "--wave", "2026", "--format", "json", "--quiet") == 0
    first = json.loads(capsys.readouterr().out)
    assert first["catalogue_version"]["number"] == 1  # seeded from the file by the command

    await sign_in(session, "evaluator", "bauska")
    user = await session.scalar(select(User).where(User.municipality == "bauska"))
    assert user is not None
    latest = await plan_version(session, "bauska")
    revised = revise_indicator(latest.toml, IndicatorRevision("B1", None, None, [(2025, "at_least", 0.95)]))
    await store_revision(
        session,
        CurrentUser(
            id=user.id, email=user.email, name=user.name, role="evaluator", municipality="bauska", school_id=None
        ),
        revised,
        municipality="bauska",
    )
    await session.commit()

    assert await run("analyze", "--municipality", "bauska", "--wave", "2026", "--format", "json", "--quiet") == 0
    second = json.loads(capsys.readouterr().out)
    assert second["catalogue_version"]["number"] == 2
    assert next(r for r in second["indicators"] if r["code"] == "B1")["target_value"] == 0.95
    argv = ("analyze", "--municipality", "bauska", "--wave", "2026", "--format", "json", "--quiet", "--catalogue", "1")
    assert await run(*argv) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["catalogue_version"] == first["catalogue_version"]
    assert await run(*argv[:-1], "7") == 2

    out = tmp_path / "report"
    assert await run("report", "--municipality", "bauska", "--wave", "2026", "--out", str(out), "--no-pdf") == 0
    html = next(out.glob("*.html")).read_text("utf-8")
    assert 'data-catalogue-version="2"' in html
