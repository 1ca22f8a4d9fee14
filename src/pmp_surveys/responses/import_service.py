"""Import submissions collected by other tools into a campaign: all rows or none.

    report = await import_responses(conn, slug, table, source="kobo", mode="tablet", label="kobo:x.csv")

The campaign pins the instrument version every row is validated against. Identifying columns
are dropped (not a question) or refuse the import (mapped to a question); every bad row is
listed with its fix and then nothing is written (`ImportRejected`, 422, carrying the report);
duplicates in the file and rows imported before are skipped and counted. `conn` is an asyncpg
connection; the rows are written in one transaction. Raises NotFound for an unknown campaign.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

from pmp_surveys.errors import NotFound, ValidationFailed
from pmp_surveys.instruments.service import VersionCache
from pmp_surveys.responses import import_repository as repo
from pmp_surveys.responses.import_columns import plan_columns
from pmp_surveys.responses.import_rows import RowProblem, prepare_rows
from pmp_surveys.responses.import_sources import ImportMapping, SourceKind, Table
from pmp_surveys.responses.models import MODES

#: The collection mode of each source unless told otherwise.
DEFAULT_MODE: dict[SourceKind, str] = {"kobo": "tablet", "odk": "tablet", "limesurvey": "web", "spreadsheet": "other"}
MAX_LISTED = 200


@dataclass
class ImportReport:
    """What an import did or would do (dry run), row numbers as in the file."""

    campaign: str
    source: str
    mode: str
    rows_read: int = 0
    imported: int = 0
    already_imported: int = 0
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    dropped_columns: list[tuple[str, str]] = field(default_factory=list)
    refused_columns: list[tuple[str, str]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    mapping_errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not (self.problems or self.refused_columns or self.mapping_errors)

    def lines(self) -> list[str]:
        """The report as text lines (the CLI prints them; the admin page shows them)."""
        out = [f"{self.rows_read} rows read from {self.source} into {self.campaign} (mode {self.mode})"]
        out += [f"mapping error: {e}" for e in self.mapping_errors]
        out += [f"refused column `{c}`: {why} — remove the column or its mapping" for c, why in self.refused_columns]
        out += [f"dropped column `{c}`: {why}" for c, why in self.dropped_columns]
        for p in self.problems[:MAX_LISTED]:
            out.append(f"row {p.row}, column `{p.column}`: {p.problem}. Fix: {p.fix}")
        if len(self.problems) > MAX_LISTED:
            out.append(f"… and {len(self.problems) - MAX_LISTED} more problems")
        for skipped, first in self.duplicates:
            out.append(f"row {skipped} skipped: a duplicate of row {first}")
        if self.already_imported:
            out.append(f"{self.already_imported} rows skipped: imported before")
        if self.ok:
            verb = "would be imported (dry run)" if self.dry_run else "imported"
            out.append(f"{self.imported} responses {verb}")
        else:
            out.append("nothing imported: fix the problems above and import the file again")
        return out


class ImportRejected(ValidationFailed):
    """The file has bad rows, refused columns or mapping errors; nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        errors = [
            {"field": f"row {p.row}: {p.column}", "code": "invalid", "message": f"{p.problem}. {p.fix}"}
            for p in report.problems[:MAX_LISTED]
        ]
        errors += [{"field": c, "code": "identifying", "message": why} for c, why in report.refused_columns]
        errors += [{"field": "mapping", "code": "invalid", "message": e} for e in report.mapping_errors]
        super().__init__("The import has problems; nothing was imported.", errors=errors, code="import_rejected")
        self.report = report


async def import_responses(
    conn: asyncpg.Connection,
    slug: str,
    table: Table,
    *,
    source: SourceKind,
    label: str,
    mode: str | None = None,
    mapping: ImportMapping | None = None,
    keep_identical: bool = False,
    dry_run: bool = False,
    versions: VersionCache | None = None,
) -> ImportReport:
    """Validate every row of `table` and store them all (see the module docstring)."""
    db = conn
    mapping = mapping or ImportMapping()
    chosen_mode = mode or DEFAULT_MODE[source]
    if chosen_mode not in MODES:
        raise ValidationFailed(
            "Unknown mode.", errors=[{"field": "mode", "code": "unknown", "message": f"use one of {', '.join(MODES)}"}]
        )
    campaign = await repo.campaign(db, slug)
    if campaign is None:
        raise NotFound("No campaign has this link.", code="campaign_not_found")
    record = await (versions or VersionCache()).get(db, campaign.instrument_version_id)
    report = ImportReport(campaign=slug, source=label, mode=chosen_mode, rows_read=len(table.rows), dry_run=dry_run)
    plan, report.mapping_errors = plan_columns(table.columns, table.rows, record.instrument, mapping)
    report.dropped_columns, report.refused_columns = plan.dropped, plan.refused
    prepared = prepare_rows(table, plan, record.instrument, record.validator, mapping, keep_identical=keep_identical)
    report.problems, report.duplicates = prepared.problems, prepared.duplicates
    schools = await repo.school_ids(db, campaign.municipality)
    new: list[repo.NewResponse] = []
    for row in prepared.rows:
        school_id = None
        if row.school is not None:
            school_id = schools.get(row.school)
            if school_id is None:
                report.problems.append(
                    RowProblem(
                        row.row,
                        "school",
                        f"no school `{row.school}` in {campaign.municipality}",
                        "Use the school's code as in the catalogue.",
                    )
                )
                continue
        c = row.coded
        new.append(
            repo.NewResponse(
                school_id,
                row.day,
                row.key,
                c.fingerprint,
                list(c.codes),
                list(c.numbers) or None,
                dict(c.texts) or None,
            )
        )
    if not report.ok:
        raise ImportRejected(report)
    async with db.transaction():
        seen = await repo.existing_keys(db, campaign.id, [r.key for r in new])
        fresh = [r for r in new if r.key not in seen]
        report.already_imported = len(new) - len(fresh)
        report.imported = len(fresh)
        if not dry_run and fresh:
            await repo.insert_many(db, campaign, fresh, mode=chosen_mode, source=label[:200])
    return report
