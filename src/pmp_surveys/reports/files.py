"""Write every file of a report into a directory: HTML, XLSX, the evaluation JSON, and the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import msgspec

from pmp_surveys.reports.html import render_html
from pmp_surveys.reports.model import Report
from pmp_surveys.reports.pdf import PdfUnavailable, render_pdf
from pmp_surveys.reports.strings import ReportLang, Strings
from pmp_surveys.reports.xlsx import render_xlsx

__all__ = ["ReportFiles", "base_name", "pdf_footer", "surveys_json", "write_report"]


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    xlsx: Path
    json: Path
    surveys: Path
    pdf: Path | None
    pdf_message: str | None = None


def base_name(report: Report, lang: ReportLang) -> str:
    return f"pmp-report-{report.municipality}-{report.wave}-{lang}"


def pdf_footer(report: Report, lang: ReportLang) -> str:
    t = Strings(lang)
    label = f"{t('report_title')} · {report.municipality_name.get(lang)} · {report.wave}"
    if report.demo:
        label += f" · {t('demo_banner')}"
    return escape(label)


def _json(report: Report) -> bytes:
    return report.evaluation.to_json(indent=2) + b"\n"


def surveys_json(report: Report) -> bytes:
    """The per-survey details (fieldwork, rates, alpha, non-response, item shares) as JSON."""
    return msgspec.json.format(msgspec.json.encode(report.surveys), indent=2) + b"\n"


def _write(out: Path, files: dict[Path, bytes]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for path, data in files.items():
        path.write_bytes(data)


async def write_report(report: Report, lang: ReportLang, out: Path, *, pdf: bool = True) -> ReportFiles:
    """Write the report's files into `out` (created if missing); the PDF is skipped, with a
    message, when no Chromium is available or `pdf` is False."""
    stem = base_name(report, lang)
    html = render_html(report, lang)
    html_path = out / f"{stem}.html"
    xlsx_path = out / f"{stem}.xlsx"
    json_path = out / f"pmp-evaluation-{report.municipality}-{report.wave}.json"
    surveys_path = out / f"pmp-report-{report.municipality}-{report.wave}-surveys.json"
    _write(
        out,
        {
            html_path: html.encode(),
            xlsx_path: render_xlsx(report, lang),
            json_path: _json(report),
            surveys_path: surveys_json(report),
        },
    )
    pdf_path: Path | None = None
    message: str | None = None
    if pdf:
        try:
            data = await render_pdf(html, footer=pdf_footer(report, lang))
        except PdfUnavailable as exc:
            message = f"PDF skipped: {exc}"
        else:
            pdf_path = out / f"{stem}.pdf"
            _write(out, {pdf_path: data})
    else:
        message = "PDF skipped (--no-pdf)."
    return ReportFiles(
        html=html_path, xlsx=xlsx_path, json=json_path, surveys=surveys_path, pdf=pdf_path, pdf_message=message
    )
