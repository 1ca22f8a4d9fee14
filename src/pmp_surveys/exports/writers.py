"""Writers for the export formats, all fed by the same stream of column batches.

* CSV — an async generator of byte chunks: a header, then one chunk per batch (nothing is held
  but the current batch). UTF-8, comma-separated, codes as numbers, empty = missing; the only
  format whose text cells are defused against spreadsheet formulas
  (:func:`pmp_surveys.spreadsheets.defuse`) — the binary formats keep the answers as given.
* Parquet — written batch by batch into a file (pyarrow `ParquetWriter`); each field carries its
  label, value labels and missing codes in the field metadata, the whole codebook is in the
  schema metadata under ``pmp_surveys.codebook``.
* SPSS ``.sav`` — pyreadstat writes a whole frame, so batches are collected into one polars frame
  (compact: small integers) and written in a worker thread; variable labels, value labels in the
  chosen language, measure levels, and 99 = "don't know" declared user-missing.
* Stata ``.dta`` (format 118, Stata 14+, UTF-8) — the same frame through pyreadstat: variable
  labels (≤ 80 bytes), value labels in the chosen language; Stata has no user-missing codes, so
  99 = "don't know" stays a labelled value (the codebook says so). Names are kept to 31
  characters (readstat's limit for value-label sets): a longer name is cut to 28 and numbered
  (``services_known__interest_edu_01``), and its variable label starts with the full name.
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
from pmp_surveys.spreadsheets import defuse_cell

#: SPSS limits, in bytes: variable labels and value labels longer than these are cut.
SAV_VARIABLE_LABEL_BYTES = 255
SAV_VALUE_LABEL_BYTES = 120
#: Stata limit for variable labels, in bytes.
DTA_VARIABLE_LABEL_BYTES = 80
#: Stata allows 32 characters in a name, but readstat names each value-label set after its
#: variable and allows 31 there: names are kept to 31.
DTA_NAME_CHARS = 31


async def csv_chunks(batches: AsyncIterator[Columns], variables: Sequence[Variable]) -> AsyncIterator[bytes]:
    """The CSV export as chunks: the header line, then one chunk per batch."""
    names = [v.name for v in variables]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(names)
    yield buf.getvalue().encode()
    async for columns in batches:
        buf = io.StringIO()
        rows = zip(*(columns[n] for n in names), strict=True)
        csv.writer(buf, lineterminator="\n").writerows([defuse_cell(c) for c in row] for row in rows)
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


def stata_names(names: Sequence[str]) -> dict[str, str]:
    """Export name → Stata name (≤ 31 characters, unique): longer names cut to 28 + ``_NN``."""
    taken = {n for n in names if len(n) <= DTA_NAME_CHARS}
    out: dict[str, str] = {}
    counter = 0
    for name in names:
        if len(name) <= DTA_NAME_CHARS:
            out[name] = name
            continue
        while True:
            counter += 1
            short = f"{name[: DTA_NAME_CHARS - 3]}_{counter:02d}"
            if short not in taken:
                break
        taken.add(short)
        out[name] = short
    return out


def _write_dta(frame: pl.DataFrame, variables: Sequence[Variable], path: Path, file_label: str) -> None:
    import pyreadstat

    names = stata_names([v.name for v in variables])

    def label(v: Variable) -> str:
        text = v.label if names[v.name] == v.name else f"{v.name}: {v.label}"
        return _cut(text, DTA_VARIABLE_LABEL_BYTES)

    pyreadstat.write_dta(
        frame.rename(names),
        str(path),
        file_label=_cut(file_label, DTA_VARIABLE_LABEL_BYTES),
        column_labels={names[v.name]: label(v) for v in variables},
        version=14,
        variable_value_labels={names[v.name]: {x.code: x.label for x in v.values} for v in variables if v.values},
    )


async def _frame(batches: AsyncIterator[Columns], variables: Sequence[Variable]) -> pl.DataFrame:
    schema = {v.name: _polars_type(v) for v in variables}
    frames = [pl.DataFrame({n: columns[n] for n in schema}, schema=schema) async for columns in batches]
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


async def write_sav(
    batches: AsyncIterator[Columns], variables: Sequence[Variable], path: Path, file_label: str = ""
) -> int:
    """Collect the batches into one frame and write it with pyreadstat (in a worker thread)."""
    frame = await _frame(batches, variables)
    await asyncio.to_thread(_write_sav, frame, variables, path, file_label)
    return frame.height


async def write_dta(
    batches: AsyncIterator[Columns], variables: Sequence[Variable], path: Path, file_label: str = ""
) -> int:
    """Collect the batches into one frame and write a Stata file with pyreadstat (in a worker thread)."""
    frame = await _frame(batches, variables)
    await asyncio.to_thread(_write_dta, frame, variables, path, file_label)
    return frame.height
