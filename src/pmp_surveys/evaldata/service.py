"""Administrative figures kept in the browser (and on the command line): preview, import with a
history row and an audit entry, one figure typed into a form.

One parser serves both: :func:`pmp_surveys.indicators.service.check_figures` (CSV or workbook →
:func:`pmp_surveys.catalogue.admin_figures.parse_admin_figures`). All or nothing: a file with any
wrong row raises :class:`~pmp_surveys.catalogue.errors.AdminFiguresError` before anything is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.audit.service import record
from pmp_surveys.catalogue.schema import Catalogue
from pmp_surveys.catalogue.spreadsheet import table_text
from pmp_surveys.evaldata.models import FigureUpload
from pmp_surveys.evaldata.repository import EvalDataRepository, StoredFigure, UploadRow
from pmp_surveys.indicators.repository import IndicatorRepository
from pmp_surveys.indicators.service import FiguresImported, check_figures

__all__ = ["FigurePreview", "PreviewRow", "figure_history", "figure_text", "preview_figures", "store_figures"]

MAX_FILENAME = 200


@dataclass(frozen=True)
class PreviewRow:
    indicator: str
    year: int
    school: str | None
    numerator: int
    denominator: int
    #: "new", "same" or the stored "numerator/denominator" this row replaces
    change: str


@dataclass(frozen=True)
class FigurePreview:
    rows: list[PreviewRow]
    #: The table as CSV text (a workbook converted), to post back for the import.
    text: str


def as_text(data: bytes | str) -> str:
    """CSV or workbook bytes → CSV text (a wrong encoding is reported by the parser as ADM200)."""
    converted = table_text(data) if isinstance(data, bytes) else data
    if isinstance(converted, bytes):
        try:
            return converted.decode("utf-8-sig")
        except UnicodeDecodeError:
            return converted.decode("utf-8-sig", errors="replace")
    return converted


async def preview_figures(
    session: AsyncSession, user: CurrentUser, catalogue: Catalogue, municipality: str, data: bytes | str
) -> FigurePreview:
    """Check a table for `municipality` without writing; every row with what it would change."""
    require_evaluator(user, municipality)
    writes = await check_figures(session, catalogue, data, municipality=municipality)
    stored = {(f.indicator, f.year, f.school_code): f for f in await EvalDataRepository(session).figures(municipality)}
    codes = {s.id: s.code for s in await IndicatorRepository(session).schools(municipality)}
    rows = []
    for w in writes:
        school = None if w.school_id is None else codes[w.school_id]
        old = stored.get((w.indicator, w.year, school))
        if old is None:
            change = "new"
        elif (old.numerator, old.denominator) == (w.numerator, w.denominator):
            change = "same"
        else:
            change = f"{old.numerator}/{old.denominator}"
        rows.append(PreviewRow(w.indicator, w.year, school, w.numerator, w.denominator, change))
    return FigurePreview(rows=rows, text=as_text(data))


async def store_figures(
    session: AsyncSession,
    catalogue: Catalogue,
    data: bytes | str,
    *,
    user: CurrentUser | None,
    filename: str,
    municipality: str | None = None,
) -> FiguresImported:
    """Import a whole table (all rows or none), one history row and one audit entry per
    municipality in it. `user` None: the server's command line (any municipality); else the rows
    must all be of `municipality`, which the user must be an evaluator of. Flushes, never commits."""
    if user is not None:
        assert municipality is not None
        require_evaluator(user, municipality)
    writes = await check_figures(session, catalogue, data, municipality=municipality)
    repo = IndicatorRepository(session)
    history = EvalDataRepository(session)
    inserted = updated = 0
    for code in sorted({w.municipality for w in writes}):
        mine = [w for w in writes if w.municipality == code]
        new, replaced = await repo.upsert_figures(mine)
        inserted, updated = inserted + new, updated + replaced
        upload = FigureUpload(
            municipality=code,
            user_id=None if user is None else user.id,
            filename=filename[:MAX_FILENAME] or "—",
            rows=len(mine),
            inserted=new,
            updated=replaced,
        )
        await history.add_upload(upload)
        details = {"file": upload.filename, "rows": len(mine), "inserted": new, "updated": replaced}
        await record(session, user, "figures.import", "figure_upload", upload.id, code, details)
    return FiguresImported(rows=len(writes), inserted=inserted, updated=updated)


def figure_text(municipality: str, indicator: str, year: str, school: str, numerator: str, denominator: str) -> str:
    """One figure typed into the form, as a one-row CSV for the same parser."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["municipality", "indicator", "year", "school", "numerator", "denominator"])
    writer.writerow([municipality, indicator, year, school, numerator, denominator])
    return out.getvalue()


async def figure_history(
    session: AsyncSession, user: CurrentUser, municipality: str
) -> tuple[list[StoredFigure], list[UploadRow]]:
    """The figures stored now and the latest uploads (newest first)."""
    require_evaluator(user, municipality)
    repo = EvalDataRepository(session)
    return await repo.figures(municipality), await repo.uploads(municipality)
