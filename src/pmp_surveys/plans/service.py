"""Plan revisions: store municipality catalogues as immutable versions and read the latest.

- :func:`seed_from_files` stores each ``analysis/municipalities/*.toml`` whose content is not stored
  yet for that municipality (start-up; like ``surveys load``: a content already stored, even as an
  older version, is skipped, so restarting with the seed file never undoes an evaluator's revision).
- :func:`store_revision` validates a TOML text with the catalogue loader (every problem with its
  CAT code and fix, :class:`CatalogueError`) and stores it as the next version, audit-logged.
- :func:`revise_indicator` writes one indicator's baseline/targets into the latest TOML.
- :class:`PlanStore` keeps the catalogue of the latest versions per process, refreshed from the
  database (one aggregate query) so every worker serves the same versions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import tomli_w
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.access import CurrentUser, require_evaluator
from pmp_surveys.audit.service import record
from pmp_surveys.catalogue.errors import CatalogueError, Problem
from pmp_surveys.catalogue.loader import parse_municipality
from pmp_surveys.catalogue.schema import Catalogue, Municipality
from pmp_surveys.errors import Forbidden, NotFound
from pmp_surveys.indicators.schemas import CatalogueVersionRef
from pmp_surveys.plans.models import CatalogueVersion
from pmp_surveys.plans.repository import CatalogueVersionRepository
from pmp_surveys.schools.service import SchoolSeed, sync_schools

__all__ = [
    "PlanStore",
    "StoredPlan",
    "content_hash",
    "plan_version",
    "revise_indicator",
    "seed_from_files",
    "store_revision",
]

MAX_TOML_BYTES = 1_000_000


def content_hash(municipality: Municipality) -> str:
    """sha256 (hex) of the validated catalogue's canonical JSON: layout and comments do not count."""
    return hashlib.sha256(msgspec.json.encode(municipality)).hexdigest()


@dataclass(frozen=True)
class StoredPlan:
    """A stored version, parsed: the municipality and the reference reports print."""

    municipality: Municipality
    ref: CatalogueVersionRef
    toml: str


def _parse(toml: str, *, file: str, expected_code: str | None) -> Municipality:
    if len(toml.encode("utf-8")) > MAX_TOML_BYTES:
        raise CatalogueError(
            [
                Problem(
                    code="CAT100",
                    file=file,
                    path="",
                    message=f"the file is larger than {MAX_TOML_BYTES // 1000} kB.",
                    fix="Upload the municipality's catalogue file only.",
                )
            ]
        )
    municipality, problems = parse_municipality(toml, file=file, expected_code=expected_code)
    if problems or municipality is None:
        raise CatalogueError(problems)
    return municipality


def _stored(row: CatalogueVersion) -> StoredPlan:
    municipality = _parse(row.toml, file=f"{row.municipality}.toml", expected_code=row.municipality)
    created = row.created_at.astimezone(dt.UTC)
    ref = CatalogueVersionRef(number=row.version, created_at=created, content_hash=row.content_hash)
    return StoredPlan(municipality=municipality, ref=ref, toml=row.toml)


async def seed_from_files(session: AsyncSession, catalogue_dir: Path, catalogue: Catalogue) -> list[CatalogueVersion]:
    """Store every municipality file of `catalogue` (already validated) whose content is new.

    Returns the versions created; flushes, never commits."""
    repo = CatalogueVersionRepository(session)
    created = []
    for code, municipality in sorted(catalogue.municipalities.items()):
        digest = content_hash(municipality)
        if await repo.by_hash(code, digest) is not None:
            continue
        text = (Path(catalogue_dir) / "municipalities" / f"{code}.toml").read_text(encoding="utf-8")
        created.append(await repo.add(code, digest, text, created_by=None, note="seed file"))
    return created


async def plan_version(session: AsyncSession, municipality: str, number: int | None = None) -> StoredPlan:
    """The stored version `number` (latest when None) of `municipality`; NotFound if there is none."""
    row = await CatalogueVersionRepository(session).get(municipality, number)
    if row is None:
        raise NotFound("Not found.")
    return _stored(row)


async def store_revision(
    session: AsyncSession, user: CurrentUser, toml: str, *, municipality: str | None, note: str = ""
) -> tuple[CatalogueVersion, bool]:
    """Validate `toml` and store it as the next version of its municipality.

    `municipality`: the code the file must carry (an evaluator's own, or an operator's choice);
    None lets an operator onboard a new municipality (the file's own code). Raises
    :class:`CatalogueError` (every problem with its fix), Forbidden/NotFound outside the user's
    scope. Returns (version, created); identical content returns the stored version, created False.
    Schools new in the file are added to the database. Flushes, never commits."""
    repo = CatalogueVersionRepository(session)
    file = f"{municipality or 'upload'}.toml"
    parsed = _parse(toml, file=file, expected_code=municipality)
    code = parsed.code
    existing = await repo.get(code)
    if existing is None and not user.is_operator:
        raise Forbidden("Only an operator can add a municipality.")
    require_evaluator(user, code)
    digest = content_hash(parsed)
    if existing is not None and existing.content_hash == digest:
        return existing, False  # going back to an older content is a new version (the latest wins)
    row = await repo.add(code, digest, toml, created_by=user.id, note=note.strip()[:500])
    await sync_schools(session, [SchoolSeed(code, s.code, s.name, s.students, s.teachers) for s in parsed.schools])
    await record(
        session,
        user,
        "plan.onboard" if existing is None else "plan.revise",
        "catalogue_version",
        f"{code}/{row.version}",
        code,
        {"version": row.version, "content_hash": digest, "note": row.note},
    )
    return row, True


@dataclass(frozen=True)
class IndicatorRevision:
    """The simple form: one indicator's baseline and targets (shares as fractions 0–1)."""

    indicator: str
    baseline_value: float | None
    baseline_year: int | None
    targets: list[tuple[int, str, float]] = field(default_factory=list)


def revise_indicator(toml: str, revision: IndicatorRevision) -> str:
    """The TOML text with one indicator's published baseline and the targets of the given years
    replaced (targets of other years are kept).

    Comments are not kept (the stored older versions keep theirs). Raises KeyError if the
    indicator is not in the file."""
    raw: dict[str, Any] = msgspec.toml.decode(toml)
    for indicator in raw.get("indicators", []):
        if indicator.get("code") != revision.indicator:
            continue
        if revision.baseline_value is not None or revision.baseline_year is not None:
            baseline = dict(indicator.get("baseline") or {})
            baseline.pop("to_be_set", None)
            if revision.baseline_value is not None:
                baseline["value"] = revision.baseline_value
            if revision.baseline_year is not None:
                baseline["year"] = revision.baseline_year
            indicator["baseline"] = baseline
        if revision.targets:
            targets = {t.get("year"): dict(t) for t in indicator.get("targets", [])}
            for year, kind, value in revision.targets:
                targets[year] = {"year": year, "kind": kind, "value": value}  # the plan's printed text no longer holds
            indicator["targets"] = [targets[year] for year in sorted(targets)]
        return tomli_w.dumps(raw)
    raise KeyError(revision.indicator)


class PlanStore:
    """The catalogue of each municipality's latest stored version, kept per process.

    Versions are immutable, so a parsed version never goes stale; :meth:`refresh` asks the
    database which version is the latest (one aggregate query) and parses only new ones. The
    first refresh of a process stores the seed files' new content (see :func:`seed_from_files`)."""

    def __init__(self, catalogue_dir: Path, files: Catalogue) -> None:
        self.catalogue_dir = Path(catalogue_dir)
        self.files = files
        self.catalogue = files
        self._latest: dict[str, tuple[int, str]] = {}
        self._seeded = False

    async def refresh(self, session: AsyncSession) -> Catalogue:
        repo = CatalogueVersionRepository(session)
        latest = await repo.latest_numbers()
        if not self._seeded or any(code not in latest for code in self.files.municipalities):
            if await seed_from_files(session, self.catalogue_dir, self.files):
                await session.commit()
                latest = await repo.latest_numbers()
            self._seeded = True
        if latest != self._latest:
            municipalities = dict(self.catalogue.municipalities)
            for code, (number, digest) in latest.items():
                if self._latest.get(code) != (number, digest):
                    municipalities[code] = (await plan_version(session, code, number)).municipality
            self.catalogue = Catalogue(municipalities=dict(sorted(municipalities.items())))
            self._latest = latest
        return self.catalogue
