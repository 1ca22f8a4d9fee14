"""The CSV export streams: many chunks for many rows, memory bounded by one batch."""

from __future__ import annotations

import datetime as dt
import hashlib
import tracemalloc

import asyncpg

from pmp_surveys.exports import repository, service
from pmp_surveys.exports.writers import csv_chunks

from .conftest import RESIDENT, Arrange
from .helpers import SNAPSHOT, scope_of

ROWS = 50_000
BATCH = 1_000


async def _fill(arrange: Arrange, pg: asyncpg.Connection, slug: str) -> None:
    campaign = await arrange.campaign(slug, "resident-perception")
    coded = (await arrange.record("resident-perception")).validator.validate(RESIDENT)
    records = [
        (
            campaign.id,
            campaign.instrument_version_id,
            dt.date(2026, 10, 1 + i % 28),
            hashlib.sha256(i.to_bytes(4, "big")).digest(),
            coded.fingerprint,
            list(coded.codes),
        )
        for i in range(ROWS)
    ]
    columns = ("campaign_id", "instrument_version_id", "submitted_on", "idempotency_key", "fingerprint", "codes")
    await pg.copy_records_to_table("responses", records=records, columns=columns)


async def test_csv_streams_in_bounded_memory(arrange: Arrange, pg: asyncpg.Connection) -> None:
    await _fill(arrange, pg, "exp-big")
    chunks = 0
    total = 0
    async with pg.transaction(**SNAPSHOT):
        scope = await scope_of(pg, "exp-big")
        shield = await service.protection(pg, scope)
        tracemalloc.start()
        try:
            async for chunk in csv_chunks(service.column_batches(pg, scope, shield, BATCH), scope.variables):
                chunks += 1
                total += len(chunk)  # consumed and dropped, as a streaming response does
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

        # For scale: what holding every row at once costs.
        tracemalloc.start()
        try:
            rows = await pg.fetch(
                repository.RESPONSE_ROWS, scope.campaign_ids, scope.version_id, scope.salt, shield.cutoff
            )
            _, peak_all = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert len(rows) == ROWS
        del rows

    assert chunks == 1 + ROWS // BATCH  # header + one chunk per batch
    assert total > 2_000_000  # the whole export went through …
    assert peak < peak_all / 5, f"streamed peak {peak} bytes, all rows {peak_all} bytes"
