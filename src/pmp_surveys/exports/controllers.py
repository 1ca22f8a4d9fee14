"""HTTP for exports: microdata (CSV streamed, Parquet, SPSS) and codebooks, for evaluators only."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Annotated, Any, Literal

import asyncpg
from litestar import Controller, Response, get
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter
from litestar.response import File, Stream
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser
from pmp_surveys.accounts.auth import provide_user
from pmp_surveys.audit.service import record
from pmp_surveys.errors import NotFound
from pmp_surveys.exports import service
from pmp_surveys.exports.codebook import render_codebook
from pmp_surveys.exports.writers import csv_chunks, write_dta, write_parquet, write_sav
from pmp_surveys.web.context import context_from
from pmp_surveys.web.dependencies import provide_session
from pmp_surveys.web.headers import SELF_CONTAINED_CSP

LangParam = Annotated[
    Literal["lv", "ru", "uk", "en"], QueryParameter(description="Language of labels (codebook, SPSS, Parquet)")
]
TextParam = Annotated[bool, QueryParameter(description="Include free-text answers (formulas defused)")]
SNAPSHOT = {"isolation": "repeatable_read", "readonly": True}
NO_STORE = {"Cache-Control": "no-store"}

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
}


def _disposition(name: str) -> dict[str, str]:
    return {**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'}


async def _campaign_scope(
    state: State, user: CurrentUser, slug: str, lang: str, include_text: bool
) -> service.ExportScope:
    ctx = context_from(state)
    async with ctx.pg.acquire() as conn:
        return await service.campaign_scope(
            conn,
            slug,
            user=user,
            lang=lang,
            include_text=include_text,
            thresholds=ctx.catalogue.suppression_thresholds(),
        )


async def _audit(session: AsyncSession, user: CurrentUser, scope: service.ExportScope, what: str) -> None:
    details = {"format": what, "lang": scope.lang, "include_text": scope.include_text}
    kind = "campaign" if len(scope.campaigns) == 1 else "wave"
    await record(session, user, "export.download", kind, scope.base_name, scope.municipality, details)


async def _protection(state: State, scope: service.ExportScope) -> service.Protection:
    """Computed before any byte is sent, so a refusal is a clean 409 (the cutoff fixes the rows)."""
    async with context_from(state).exports_pg.acquire() as conn, conn.transaction(**SNAPSHOT):
        return await service.protection(conn, scope)


#: CSV kept in memory up to this size while it is written, then spilled to a temporary file.
SPOOL_BYTES = 1 << 20


async def _csv_spooled(
    pool: asyncpg.Pool, scope: service.ExportScope, shield: service.Protection
) -> AsyncIterator[bytes]:
    """The CSV, written whole to a spooled temporary file while a connection of the exports'
    pool is held — all of it *before* the response starts, so the connection is back before the
    first byte is sent — then sent from the file: a slow client never pins a connection."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by _send
    try:
        async with pool.acquire() as conn, conn.transaction(**SNAPSHOT):
            async for chunk in csv_chunks(service.column_batches(conn, scope, shield), scope.variables):
                spool.write(chunk)  # memory, or the page cache of a temporary file
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return _send(spool)


async def _send(spool: IO[bytes]) -> AsyncIterator[bytes]:
    try:
        while chunk := await asyncio.to_thread(spool.read, 64 * 1024):
            yield chunk
    finally:
        spool.close()


async def _file(
    state: State, scope: service.ExportScope, shield: service.Protection, fmt: Literal["parquet", "sav", "dta"]
) -> File:
    ctx = context_from(state)
    with tempfile.NamedTemporaryFile(prefix="pmp-export-", suffix=f".{fmt}", delete=False) as tmp:
        path = Path(tmp.name)
    try:
        async with ctx.exports_pg.acquire() as conn, conn.transaction(**SNAPSHOT):
            batches = service.column_batches(conn, scope, shield)
            if fmt == "parquet":
                book = await service.build_codebook(conn, scope, shield)
                await write_parquet(batches, scope.variables, path, book)
            elif fmt == "dta":
                await write_dta(batches, scope.variables, path, file_label=scope.base_name)
            else:
                await write_sav(batches, scope.variables, path, file_label=scope.base_name)
    except BaseException:
        await asyncio.to_thread(path.unlink, missing_ok=True)
        raise
    return File(
        path=path,
        filename=f"{scope.base_name}.{fmt}",
        media_type=MEDIA[fmt],
        headers=NO_STORE,
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


FILES = (
    "responses.csv",
    "responses.parquet",
    "responses.sav",
    "responses.dta",
    "codebook.json",
    "codebook.csv",
    "codebook.html",
    "codebook.xlsx",
)


async def _deliver(
    state: State, session: AsyncSession, user: CurrentUser, scope: service.ExportScope, file: str
) -> Response[Any]:
    """The export named `file` (one of FILES) of `scope`."""
    kind, fmt = file.split(".")
    shield = await _protection(state, scope)
    if kind == "codebook":
        async with context_from(state).exports_pg.acquire() as conn, conn.transaction(**SNAPSHOT):
            book = await service.build_codebook(conn, scope, shield)
        attached = fmt in ("csv", "xlsx")
        headers = _disposition(f"{scope.base_name}-codebook.{fmt}") if attached else dict(NO_STORE)
        if fmt == "html":  # one self-contained page with an inline <style>
            headers["Content-Security-Policy"] = SELF_CONTAINED_CSP
        return Response(render_codebook(book, fmt), media_type=MEDIA[fmt], headers=headers)  # type: ignore[arg-type]
    await _audit(session, user, scope, fmt)
    if fmt == "csv":
        return Stream(
            await _csv_spooled(context_from(state).exports_pg, scope, shield),
            media_type=MEDIA["csv"],
            headers=_disposition(f"{scope.base_name}.csv"),
        )
    return await _file(state, scope, shield, fmt)  # type: ignore[arg-type]


class ExportController(Controller):
    """Microdata and codebooks of a campaign or a wave, for evaluators of its municipality (and operators).

    Files: responses.csv (streamed), responses.parquet, responses.sav, responses.dta, codebook.json|csv|html|xlsx.
    """

    path = "/api/v1/exports"
    tags = ["exports"]
    dependencies = {"user": Provide(provide_user), "session": Provide(provide_session)}

    @get(
        "/campaigns/{slug:str}/{file:str}",
        summary="A campaign's responses or codebook (file: responses.csv (streamed), responses.parquet, "
        "responses.sav, responses.dta, codebook.json|csv|html|xlsx)",
    )
    async def campaign_file(
        self,
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        slug: FromPath[str],
        file: FromPath[str],
        lang: LangParam = "lv",
        include_text: TextParam = False,
    ) -> Response[Any]:
        if file not in FILES:
            raise NotFound(f"Unknown export file {file[:40]!r}; one of {', '.join(FILES)}.")
        scope = await _campaign_scope(state, user, slug, lang, include_text)
        return await _deliver(state, session, user, scope, file)

    @get(
        "/waves/{municipality:str}/{instrument:str}/{wave:int}/{file:str}",
        summary="Every campaign of a municipality's wave for one instrument (file: responses.csv|parquet|sav|dta, "
        "codebook.json|csv|html|xlsx)",
    )
    async def wave_file(
        self,
        state: State,
        user: NamedDependency[CurrentUser],
        session: NamedDependency[AsyncSession],
        municipality: FromPath[str],
        instrument: FromPath[str],
        wave: FromPath[int],
        file: FromPath[str],
        lang: LangParam = "lv",
        include_text: TextParam = False,
    ) -> Response[Any]:
        if file not in FILES:
            raise NotFound(f"Unknown export file {file[:40]!r}; one of {', '.join(FILES)}.")
        ctx = context_from(state)
        async with ctx.pg.acquire() as conn:
            scope = await service.wave_scope(
                conn,
                municipality,
                instrument,
                wave,
                user=user,
                lang=lang,
                include_text=include_text,
                thresholds=ctx.catalogue.suppression_thresholds(),
            )
        return await _deliver(state, session, user, scope, file)
