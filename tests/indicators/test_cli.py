"""`pmp-surveys figures import` and `pmp-surveys analyze` against the test database."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.cli import main
from pmp_surveys.indicators.repository import IndicatorRepository
from tests.indicators.conftest import Seeder, share_answers

FIGURES = """municipality;indicator;year;numerator;denominator;school
bauska;B3;2026;700;1000;
bauska;B8a;2026;0;5000;bauskas-valsts-gimnazija
bauska;B8a;2026;1;5000;iecavas-vidusskola
"""


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("PMP_DATABASE_URL", database_url)


async def run(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


async def test_figures_import_then_analyze(
    cli_env: None,
    tmp_path: Path,
    session: AsyncSession,
    seeded: Seeder,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await seeded.responses("bauska", "parent-satisfaction", 2026, share_answers("overall_satisfaction", {5: 40, 2: 10}))
    await session.commit()
    good = tmp_path / "figures.csv"
    good.write_text(FIGURES, encoding="utf-8")
    assert await run("figures", "import", str(good)) == 0
    assert "3 figure(s) stored (3 new, 0 replaced)" in capsys.readouterr().out

    out = tmp_path / "out"
    assert await run("analyze", "--municipality", "bauska", "--wave", "2026", "--out", str(out)) == 0
    captured = capsys.readouterr()
    assert "B1" in captured.out and "80.0% [" in captured.out and "reading responses" in captured.err
    assert "B8a" in captured.out and "0.010%" in captured.out  # 1 of 10 000, school rows summed
    document = json.loads((out / "evaluation-bauska-2026.json").read_text())
    assert document["format_version"] == "1.3"
    assert {r["code"]: r["value"] for r in document["indicators"]}["B3"] == 0.7
    assert (out / "evaluation-bauska-2026.csv").read_text().startswith("\ufeffcode,")

    assert await run("analyze", "--municipality", "bauska", "--wave", "2026", "--format", "csv", "--quiet") == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("code,") and captured.err == ""


async def test_figures_import_bad_row_writes_nothing(
    cli_env: None, tmp_path: Path, session: AsyncSession, seeded: Seeder, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(FIGURES + "bauska;B3;2027;x;1000;\nriga;R99;2026;1;2;\n", encoding="utf-8")
    assert await run("figures", "import", str(bad)) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err and "ADM220" in err and "ADM211" in err and "row 5" in err
    assert await IndicatorRepository(session).figures("bauska") == []


async def test_analyze_unknown_municipality(cli_env: None, seeded: Seeder, capsys: pytest.CaptureFixture[str]) -> None:
    assert await run("analyze", "--municipality", "nowhere", "--wave", "2026") == 2
    assert "unknown municipality" in capsys.readouterr().err


async def test_analyze_speaks_the_baseline_vocabulary_of_report(
    cli_env: None, session: AsyncSession, seeded: Seeder, capsys: pytest.CaptureFixture[str]
) -> None:
    await seeded.responses("bauska", "parent-satisfaction", 2026, share_answers("overall_satisfaction", {5: 40, 2: 10}))
    await session.commit()
    for word in ("plan", "auto", "published", "2024"):
        assert await run("analyze", "--municipality", "bauska", "--wave", "2026", "--baseline", word, "--quiet") == 0
        assert "B1" in capsys.readouterr().out
    assert await run("analyze", "--municipality", "bauska", "--wave", "2026", "--baseline", "last") == 2
    assert "'auto', 'plan' or 'published'" in capsys.readouterr().err
