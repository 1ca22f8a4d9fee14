"""Printable code sheets and CSV for a batch of access codes (called by the admin pages).

Both take the plain codes `service.issue_codes` returned; nothing here touches the database,
and the codes are not kept anywhere once the sheet is handed out.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from pmp_surveys.distribution.qr import qr_inline_svg
from pmp_surveys.spreadsheets import Cell, Sheet, csv_text, xlsx_bytes

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class HasSlugAndTitle(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def title(self) -> str: ...


class HasName(Protocol):
    @property
    def name(self) -> str: ...


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))


def survey_link(base_url: str, slug: str) -> str:
    return f"{base_url.rstrip('/')}/s/{slug}"


#: The sheet's words in the language of the admin page it was printed from (Latvian by default).
SHEET_WORDS: dict[str, dict[str, str]] = {
    "lv": {
        "codes": "Piekļuves kodi",
        "heading": "Pedagogu aptaujas piekļuves kodi",
        "count": "Kodu skaits",
        "instructions": "Izdrukājiet lapu, sagrieziet pa raustītajām līnijām un izdaliet katram pedagogam vienu "
        "kodu. Kodi šeit redzami tikai vienu reizi — saglabājiet vai izdrukājiet tos tūlīt.",
        "slip": "Kods",
        "step1_before": "1. Atveriet:",
        "step1_after": "vai noskenējiet QR kodu.",
        "step2": "2. Ievadiet savu vienreizējo kodu:",
        "anonymous": "Aptauja ir anonīma: kods netiek saistīts ar jūsu atbildēm, un to var izmantot tikai vienu reizi.",
    },
    "en": {
        "codes": "Access codes",
        "heading": "Access codes for the teacher survey",
        "count": "Number of codes",
        "instructions": "Print this page, cut along the dashed lines and give each teacher one code. The codes "
        "are shown only once — save or print them now.",
        "slip": "Code",
        "step1_before": "1. Open:",
        "step1_after": "or scan the QR code.",
        "step2": "2. Enter your single-use code:",
        "anonymous": "The survey is anonymous: the code is not linked to your answers, and it works only once.",
    },
}


def render_code_sheet(
    codes: Sequence[str], campaign: HasSlugAndTitle, school: HasName, base_url: str, *, lang: str = "lv"
) -> str:
    """An HTML page to print: one cut-out slip per code with the link and instructions in `lang`
    (the admin page's language, "lv" or "en"; the survey itself offers all four languages)."""
    template = _environment().get_template("respondent/code_sheet.html")
    link = survey_link(base_url, campaign.slug)
    return template.render(
        lang=lang if lang in SHEET_WORDS else "lv",
        w=SHEET_WORDS.get(lang, SHEET_WORDS["lv"]),
        codes=list(codes),
        title=campaign.title,
        school=school.name,
        link=link,
        qr=Markup(qr_inline_svg(link)),  # noqa: S704 - segno's own SVG, the URL inside is escaped by segno
    )


def _code_rows(codes: Sequence[str], campaign: HasSlugAndTitle, school: HasName, base_url: str) -> list[list[Cell]]:
    link = survey_link(base_url, campaign.slug)
    return [[code, link, school.name, campaign.title] for code in codes]


CODE_COLUMNS = ("code", "link", "school", "survey")


def codes_csv(codes: Sequence[str], campaign: HasSlugAndTitle, school: HasName, base_url: str) -> str:
    """CSV with a header row: code, link, school, survey (UTF-8 with a BOM for Excel; formulas defused)."""
    return csv_text(CODE_COLUMNS, _code_rows(codes, campaign, school, base_url), crlf=True)


def codes_xlsx(codes: Sequence[str], campaign: HasSlugAndTitle, school: HasName, base_url: str) -> bytes:
    """The same as :func:`codes_csv` as an XLSX workbook (text cells stay text)."""
    rows = _code_rows(codes, campaign, school, base_url)
    return xlsx_bytes([Sheet("codes", CODE_COLUMNS, rows, widths=(14, 50, 40, 50))], title=campaign.title)
