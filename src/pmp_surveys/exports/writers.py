"""Writers for the export formats, all fed by the same stream of column batches.

* CSV — an async generator of byte chunks: a header, then one chunk per batch (nothing is held
  but the current batch). UTF-8, comma-separated, codes as numbers, empty = missing.
* Parquet — written batch by batch into a file (pyarrow `ParquetWriter`); each field carries its
  label, value labels and missing codes in the field metadata, the whole codebook is in the
  schema metadata under ``pmp_surveys.codebook``.
* SPSS ``.sav`` — pyreadstat writes a whole frame, so batches are collected into one polars frame
  (compact: small integers) and written in a worker thread; variable labels, value labels in the
  chosen language, measure levels, and 99 = "don't know" declared user-missing.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import msgspec
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from pmp_surveys.exports.codebook import Codebook, Variable
from pmp_surveys.exports.service import Columns

#: SPSS limits, in bytes: variable labels and value labels longer than these are cut.
SAV_VARIABLE_LABEL_BYTES = 255
SAV_VALUE_LABEL_BYTES = 120


async def csv_chunks(batches: AsyncIterator[Columns], variables: Sequence[Variable]) -> AsyncIterator[bytes]:
    """The CSV export as chunks: the header line, then one chunk per batch."""
    names = [v.name for v in variables]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(names)
    yield buf.getvalue().encode()
    async for columns in batches:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(zip(*(columns[n] for n in names), strict=True))
        yield buf.getvalue().encode()


def _arrow_type(v: Variable) -> pa.DataType:
    if v.source == "meta":
        return {"response": pa.int32(), "wave": pa.int16()}.get(v.name, pa.string())
    if v.source == "codes":
        return pa.int16()
    if v.source == "numbers":
        return pa.float64()
    return pa.string()


def _field_metadata(v: Variable) -> dict[str, str]:
    meta = {"label": v.label}
    if v.values:
        meta["values"] = msgspec.json.encode({str(x.code): x.label for x in v.values}).decode()
    if v.missing:
        meta["missing"] = ",".join(map(str, v.missing))
    return meta


def arrow_schema(variables: Sequence[Variable], codebook: Codebook | None = None) -> pa.Schema:
    fields = [pa.field(v.name, _arrow_type(v), metadata=_field_metadata(v)) for v in variables]
    metadata = {} if codebook is None else {"pmp_surveys.codebook": msgspec.json.encode(codebook).decode()}
    return pa.schema(fields, metadata=metadata)


async def write_parquet(
    batches: AsyncIterator[Columns], variables: Sequence[Variable], path: Path, codebook: Codebook | None = None
) -> int:
    """Write the batches to `path` as they arrive; returns the number of rows."""
    schema = arrow_schema(variables, codebook)
    rows = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        async for columns in batches:
            table = pa.Table.from_pydict({v.name: columns[v.name] for v in variables}, schema=schema)
            writer.write_table(table)
            rows += table.num_rows
    return rows


def _polars_type(v: Variable) -> pl.DataType:
    if v.source == "meta":
        return pl.Int32() if v.name in ("response", "wave") else pl.String()
    if v.source == "codes":
        return pl.Int16()
    if v.source == "numbers":
        return pl.Float64()
    return pl.String()


def _cut(text: str, limit: int) -> str:
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode(errors="ignore") + "..."


def _write_sav(frame: pl.DataFrame, variables: Sequence[Variable], path: Path, file_label: str) -> None:
    import pyreadstat

    pyreadstat.write_sav(
        frame,
        str(path),
        file_label=_cut(file_label, 64),
        column_labels={v.name: _cut(v.label, SAV_VARIABLE_LABEL_BYTES) for v in variables},
        variable_value_labels={
            v.name: {x.code: _cut(x.label, SAV_VALUE_LABEL_BYTES) for x in v.values} for v in variables if v.values
        },
        missing_ranges={v.name: list(v.missing) for v in variables if v.missing},
        variable_measure={v.name: v.measure for v in variables},
    )


async def write_sav(
    batches: AsyncIterator[Columns], variables: Sequence[Variable], path: Path, file_label: str = ""
) -> int:
    """Collect the batches into one frame and write it with pyreadstat (in a worker thread)."""
    schema = {v.name: _polars_type(v) for v in variables}
    frames = [pl.DataFrame({n: columns[n] for n in schema}, schema=schema) async for columns in batches]
    frame = pl.concat(frames) if frames else pl.DataFrame(schema=schema)
    await asyncio.to_thread(_write_sav, frame, variables, path, file_label)
    return frame.height
