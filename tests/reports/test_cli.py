"""`pmp-surveys report`: every file of the report written into --out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.cli import main
from pmp_surveys.cli.report import baseline_arg
from tests.reports.conftest import CHROMIUM
from tests.reports.readback import html_tables, xlsx_sheets


def test_report_command_writes_html_xlsx_json_and_pdf(
    demo_data: Catalogue,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PMP_DATABASE_URL", database_url)
    code = main(
        [
            "report",
            "--municipality",
            "riga",
            "--wave",
            "2026",
            "--baseline",
            "2022",
            "--lang",
            "en",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    out = capsys.readouterr()
    html = (tmp_path / "pmp-report-riga-2026-en.html").read_text(encoding="utf-8")
    assert "SYNTHETIC DEMO DATA" in html and len(html_tables(html)["summary"]) == 16
    assert "About" in xlsx_sheets((tmp_path / "pmp-report-riga-2026-en.xlsx").read_bytes())
    evaluation = json.loads((tmp_path / "pmp-evaluation-riga-2026.json").read_text(encoding="utf-8"))
    assert evaluation["municipality"] == "riga" and evaluation["baseline"] == 2022
    pdf = tmp_path / "pmp-report-riga-2026-en.pdf"
    if CHROMIUM.exists():
        assert pdf.read_bytes().startswith(b"%PDF") and str(pdf) in out.out
    else:
        assert not pdf.exists() and "PDF skipped" in out.err


def test_unknown_municipality_is_a_clear_error(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PMP_DATABASE_URL", database_url)
    assert main(["report", "--municipality", "atlantis", "--wave", "2026", "--out", str(tmp_path)]) == 2
    assert "atlantis" in capsys.readouterr().err


def test_baseline_argument() -> None:
    assert baseline_arg("plan") == "plan" and baseline_arg("auto") is None
    assert baseline_arg("published") == "published"
    assert baseline_arg("2024") == 2024
    with pytest.raises(Exception, match="baseline must be a year"):
        baseline_arg("last year")
