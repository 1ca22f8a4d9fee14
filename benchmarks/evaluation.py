"""Indicator evaluation over a million responses: extraction into polars, then every indicator.

    .venv/bin/python benchmarks/evaluation.py [--responses 1000000] [--repeat 3] [--concurrency 2]
                                              [--keep | --database NAME]

Builds synthetic responses (30 five-point items, `benchmarks/bench-instrument.toml`) for two
municipalities × two waves (2024 baseline, 2026), 100 schools (50 per municipality) with a school
effect, from a seeded numpy Generator; loads them with COPY into a fresh database on the embedded
PostgreSQL server (or the server of PMP_DATABASE_URL), VACUUM ANALYZE, then times

1. extraction: `load_inputs` (COPY … TO STDOUT → polars) of both waves, per municipality;
2. evaluation: `evaluate` of all survey indicators (clustered design: schools as strata with
   teacher head-counts as fpc, Korn–Graubard intervals, two-sample comparisons, verdicts, Holm/BH)
   and of the scale (mean, change, Welch's t, Hedges' g, Cronbach's alpha);
3. on the same extracted frames (:mod:`benchmarks.evaluation_paths`): the **floor** (one polars
   group-by into school × wave cells, then the interval arithmetic on the cells), the **public API
   path** (`prepare_design` once per wave, every rule's proportion on it) and, in the first run,
   the **row-level API** (`survey_proportion` per rule and wave, the approach before the prepared
   design) — and checks that all of them give the evaluation's figures;
4. report model (printed beside, not in the end-to-end sum): `assemble_report` (survey sections:
   item distributions, non-response, Cronbach's alpha, subgroups), the trend (the evaluation of
   the earlier wave, 2024, on the same frames, and the series) and the council's plain summary;

and prints per run the wall and CPU seconds of each phase and their ratios to the floor of the
same run (end to end = extraction + evaluation). The machine is shared: compare ratios within a
run, not absolute seconds between runs. `--keep` keeps the generated database and prints its name;
`--database NAME` reuses it (no generation, never dropped).

It also prints the load average (other work on the machine inflates wall times) and peak memory
(ru_maxrss of the timed process; the data are generated and loaded in a child process).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import multiprocessing
import os
import resource
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import msgspec
import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks import evaluation_paths as paths  # noqa: E402
from pmp_surveys.campaigns.models import Campaign  # noqa: E402
from pmp_surveys.catalogue.loader import parse_municipality  # noqa: E402
from pmp_surveys.catalogue.schema import Municipality  # noqa: E402
from pmp_surveys.db import migrate  # noqa: E402
from pmp_surveys.db.embedded import asyncpg_connect_args, start_embedded  # noqa: E402
from pmp_surveys.indicators.evaluate import evaluate  # noqa: E402
from pmp_surveys.indicators.service import load_inputs  # noqa: E402
from pmp_surveys.instruments.loader import load_instrument_file  # noqa: E402
from pmp_surveys.instruments.repository import InstrumentRepository  # noqa: E402
from pmp_surveys.instruments.service import sync_instruments  # noqa: E402
from pmp_surveys.reports.build import assemble_report  # noqa: E402
from pmp_surveys.reports.plain import plain_summary  # noqa: E402
from pmp_surveys.reports.strings import Strings  # noqa: E402
from pmp_surveys.reports.trend import evaluate_years, trend_series  # noqa: E402
from pmp_surveys.schools.service import SchoolSeed, sync_schools  # noqa: E402

INSTRUMENT = ROOT / "benchmarks" / "bench-instrument.toml"
MUNICIPALITIES = ("bench-a", "bench-b")
WAVES = (2024, 2026)
SCHOOLS_PER_MUNICIPALITY = 50
ITEMS = 30
PHASES = ("floor", "api", "row-level api", "extraction", "evaluation", "report")
RULES = ("agree_01", "agree_02", "agree_03", "agree_04", "agree_05", "agree_06", "high_total")


def municipality_toml(code: str, teachers: int) -> str:
    schools = "\n".join(
        f'[[schools]]\ncode = "s{i:02d}"\nname = "School {i}"\nteachers = {teachers}\n'
        for i in range(SCHOOLS_PER_MUNICIPALITY)
    )
    indicators = "\n".join(
        f"""[[indicators]]
code = "I{j}"
names = {{ lv = "Rādītājs {j}", en = "Indicator {j} ({rule})" }}
direction = "rise"
baseline = {{ to_be_set = 2024 }}
targets = [{{ year = 2026, kind = "at_least", value = 0.5 }}]
source = {{ kind = "survey", plan_text = "aptauja" }}
survey = {{ instrument = "bench-thirty-items", rule = "{rule}", design = "clustered" }}
"""
        for j, rule in enumerate(RULES, start=1)
    )
    return f"""code = "{code}"
names = {{ lv = "{code}", en = "{code} (synthetic)" }}
[plan]
title = {{ lv = "Etalons", en = "Benchmark" }}
period_start = 2024
period_end = 2028
baseline_year = 2024
evaluation_years = [2026]
{schools}
{indicators}"""


def synthetic_codes(rng: np.random.Generator, n: int, school: np.ndarray, wave_shift: float) -> np.ndarray:
    """n × 30 int16 answers 1..5, a school and a person effect, 2% blank (-1), 1% "don't know"
    (99) on items 1–5."""
    school_effect = rng.normal(0.0, 0.4, size=int(school.max()) + 1)[school]
    person = rng.normal(0.0, 0.7, size=n)
    latent = 3.2 + wave_shift + school_effect[:, None] + person[:, None] + rng.normal(0.0, 0.8, size=(n, ITEMS))
    codes = np.clip(np.rint(latent), 1, 5).astype(np.int16)
    codes[rng.random((n, ITEMS)) < 0.02] = -1
    dont_know = rng.random((n, 5)) < 0.01
    codes[:, :5][dont_know] = 99
    return np.asarray(codes, dtype=np.int16)


def responses_csv(
    rng: np.random.Generator,
    n: int,
    campaign_id: int,
    version_id: int,
    school_ids: np.ndarray,
    shift: float,
    start: int,
) -> bytes:
    school_index = rng.integers(0, school_ids.size, size=n)
    codes = synthetic_codes(rng, n, school_index, shift)
    items = pl.DataFrame(codes, schema=[f"c{i}" for i in range(ITEMS)])
    array = pl.concat_str(
        [pl.when(pl.col(c) < 0).then(pl.lit("NULL")).otherwise(pl.col(c).cast(pl.String)) for c in items.columns],
        separator=",",
    )
    key = pl.lit("\\x") + pl.int_range(start, start + n, eager=False).cast(pl.String).str.zfill(64)
    frame = items.select(
        pl.lit(campaign_id).alias("campaign_id"),
        pl.lit(version_id).alias("instrument_version_id"),
        pl.Series("school_id", school_ids[school_index]),
        pl.lit(date(2026, 3, 1)).alias("submitted_on"),
        key.alias("idempotency_key"),
        key.alias("fingerprint"),
        (pl.lit("{") + array + pl.lit("}")).alias("codes"),
    )
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False)
    return buffer.getvalue()


async def admin(url: str, sql: str) -> None:
    import asyncpg

    args = asyncpg_connect_args(url)
    args["database"] = "postgres"
    conn = await asyncpg.connect(**args)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def load(url: str, total: int, municipalities: dict[str, Municipality]) -> None:
    import asyncpg
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    from pmp_surveys.schools.models import School

    engine = create_async_engine(url)
    async with AsyncSession(engine) as session:
        (outcome,) = await sync_instruments(session, [load_instrument_file(INSTRUMENT)])
        await sync_schools(
            session,
            [SchoolSeed(m.code, s.code, s.name, None, s.teachers) for m in municipalities.values() for s in m.schools],
        )
        version = await InstrumentRepository(session).by_hash(outcome.content_hash)
        assert version is not None
        version_id = version.id
        campaigns: list[tuple[int, str, int]] = []
        for code in municipalities:
            for wave in WAVES:
                campaign = Campaign(
                    slug=f"bench-{code}-{wave}",
                    municipality=code,
                    instrument_version_id=version_id,
                    wave=wave,
                    title=f"Benchmark {code} {wave}",
                    status="closed",
                    audience="teachers",
                    access_mode="school_link",
                )
                session.add(campaign)
                await session.flush()
                campaigns.append((campaign.id, code, wave))
        schools = {
            code: np.array(
                (await session.scalars(select(School.id).where(School.municipality == code).order_by(School.id))).all()
            )
            for code in municipalities
        }
        await session.commit()
    await engine.dispose()

    rng = np.random.default_rng(20260301)
    per_campaign = total // len(campaigns)
    conn = await asyncpg.connect(**asyncpg_connect_args(url))
    try:
        for i, (campaign_id, code, wave) in enumerate(campaigns):
            data = responses_csv(
                rng,
                per_campaign,
                campaign_id,
                version_id,
                schools[code],
                0.15 if wave == 2026 else 0.0,
                i * per_campaign,
            )
            await conn.copy_to_table(
                "responses",
                source=io.BytesIO(data),
                columns=[
                    "campaign_id",
                    "instrument_version_id",
                    "school_id",
                    "submitted_on",
                    "idempotency_key",
                    "fingerprint",
                    "codes",
                ],
                format="csv",
            )
        await conn.execute("VACUUM ANALYZE responses")
    finally:
        await conn.close()


async def timed_run(
    url: str, municipalities: dict[str, Municipality], concurrency: int, *, show: bool
) -> dict[str, float]:
    """Per municipality: extraction, then on the extracted frames the floor, the public API path
    (and in the first run the row-level API), then the evaluation; end to end = extraction +
    evaluation. The first run also checks that every path gives the evaluation's figures."""
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    engine = create_async_engine(url)
    timings: dict[str, float] = {}
    try:
        for code, municipality in municipalities.items():
            start, cpu_start = time.perf_counter(), time.process_time()
            async with AsyncSession(engine) as session:
                inputs = await load_inputs(session, municipality, 2026, None, concurrency=concurrency)
            extracted, cpu_extracted = time.perf_counter(), time.process_time()
            evaluation = evaluate(municipality, 2026, inputs)
            done, cpu_done = time.perf_counter(), time.process_time()
            # the full report model on top: survey sections (distributions, non-response, alpha)
            # and the council's plain summary, from the same inputs (no database)
            report = assemble_report(municipality, evaluation, inputs)
            assembled = time.perf_counter()
            earlier = evaluate_years(municipality, [2024], inputs, confidence_level=0.95, generated_at=None)
            report = msgspec.structs.replace(report, trend=trend_series(municipality, [*earlier, evaluation]))
            trended = time.perf_counter()
            plain_summary(report, Strings("lv"))
            reported = time.perf_counter()
            timings[f"{code} report trend"] = trended - assembled
            timings[f"{code} report sections"] = assembled - done
            timings[f"{code} extraction"] = extracted - start
            timings[f"{code} evaluation"] = done - extracted
            timings[f"{code} report"] = reported - done
            timings[f"{code} extraction cpu"] = cpu_extracted - cpu_start
            timings[f"{code} evaluation cpu"] = cpu_done - cpu_extracted
            t0, c0 = time.perf_counter(), time.process_time()
            floor_values, floor_changes = paths.floor(inputs, RULES)
            t1, c1 = time.perf_counter(), time.process_time()
            api_values, api_changes = paths.api_path(inputs, RULES)
            t2, c2 = time.perf_counter(), time.process_time()
            timings[f"{code} floor"], timings[f"{code} floor cpu"] = t1 - t0, c1 - c0
            timings[f"{code} api"], timings[f"{code} api cpu"] = t2 - t1, c2 - c1
            if show:
                t3, c3 = time.perf_counter(), time.process_time()
                row_values, row_changes = paths.row_level_path(inputs, RULES)
                timings[f"{code} row-level api"] = time.perf_counter() - t3
                timings[f"{code} row-level api cpu"] = time.process_time() - c3
                same_values = paths.max_relative_difference(api_values, row_values)
                same_changes = paths.max_absolute_difference(api_changes, row_changes)
                evaluated = {
                    (r.rule or "", w): (v, lo, hi)
                    for r in evaluation.indicators
                    for w, v, lo, hi in [
                        (2026, r.value, r.ci_low, r.ci_high),
                        (2024, r.baseline_value, r.baseline_ci_low, r.baseline_ci_high),
                    ]
                }
                changes = {r.rule or "": (r.change, r.change_ci_low, r.change_ci_high) for r in evaluation.indicators}
                worst = max(
                    paths.max_relative_difference(found, evaluated)  # type: ignore[arg-type]
                    for found in (floor_values, api_values, row_values)
                )
                worst_change = max(
                    paths.max_absolute_difference(found, changes)  # type: ignore[arg-type]
                    for found in (floor_changes, api_changes, row_changes)
                )
                rows = sum(data.n for data in inputs.responses.values())
                first = evaluation.indicators[0]
                print(
                    f"  {code}: {rows:,} responses; {len(evaluation.indicators)} indicators; "
                    f"I1 = {first.value:.4f} [{first.ci_low:.4f}, {first.ci_high:.4f}] n={first.n} "
                    f"change {first.change:+.4f} p={first.change_p_value:.2g} verdict {first.verdict}; "
                    f"floor, API and row-level API vs evaluation: values and intervals within {worst:.1e} "
                    f"(relative), changes within {worst_change:.1e} (absolute); prepared-design API vs "
                    f"row-level API: values, intervals, SEs within {same_values:.1e} (relative), changes within "
                    f"{same_changes:.1e} (absolute)"
                )
    finally:
        await engine.dispose()
    return timings


def bench_municipalities(total: int) -> dict[str, Municipality]:
    per_school = total // (len(MUNICIPALITIES) * len(WAVES) * SCHOOLS_PER_MUNICIPALITY)
    found = {}
    for code in MUNICIPALITIES:
        municipality, problems = parse_municipality(municipality_toml(code, teachers=2 * per_school), instruments=None)
        assert municipality is not None, problems
        found[code] = municipality
    return found


def load_in_child(url: str, total: int) -> None:
    asyncio.run(load(url, total, bench_municipalities(total)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--database", help="reuse this kept benchmark database (no generation, never dropped)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (default 3; best and median shown)")
    parser.add_argument("--concurrency", type=int, default=2, help="waves read in parallel (default 2)")
    args = parser.parse_args()
    from sqlalchemy.engine import make_url

    server = os.environ.get("PMP_DATABASE_URL") or start_embedded(ROOT / ".pmp" / "bench")
    reuse = args.database is not None
    name = args.database or f"pmp_bench_{uuid.uuid4().hex[:8]}"
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    municipalities = bench_municipalities(args.responses)
    try:
        if reuse:
            print(f"setup: reusing database {name} (kept by an earlier --keep run with the same --responses)")
        else:
            asyncio.run(admin(server, f'CREATE DATABASE "{name}"'))
            migrate.upgrade(url, ROOT / "migrations")
            t0 = time.perf_counter()
            # Generate and load in a child process, so that peak memory below is the timed part's.
            child = multiprocessing.get_context("spawn").Process(target=load_in_child, args=(url, args.responses))
            child.start()
            child.join()
            if child.exitcode != 0:
                raise RuntimeError("loading the synthetic responses failed")
            seconds = time.perf_counter() - t0
            print(f"setup: {args.responses:,} responses loaded with COPY in {seconds:.1f} s (not timed)")
            if args.keep:
                print(f"setup: keeping database {name} (reuse with --database {name})")
        runs = [asyncio.run(timed_run(url, municipalities, args.concurrency, show=i == 0)) for i in range(args.repeat)]
    finally:
        if not args.keep and not reuse:
            asyncio.run(admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(f"load average while timing: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPU(s); {len(runs)} run(s)")
    totals = []
    for i, timings in enumerate(runs, start=1):
        phase = {name: sum(v for k, v in timings.items() if k.endswith(" " + name)) for name in PHASES}
        totals.append(phase)
        cpu = {name: sum(v for k, v in timings.items() if k.endswith(f" {name} cpu")) for name in PHASES}
        floor = phase["floor"]
        end_to_end = phase["extraction"] + phase["evaluation"]
        line = "  ".join(f"{name} {phase[name]:.2f}" for name in PHASES if phase.get(name))
        cpu_line = "  ".join(f"{name} {cpu[name]:.2f}" for name in PHASES if cpu.get(name))
        print(
            f"run {i}: wall {line} | end to end {end_to_end:.2f} s = {end_to_end / floor:.1f}x floor, "
            f"API {phase['api'] / floor:.1f}x floor, evaluation alone {phase['evaluation'] / floor:.1f}x floor\n"
            f"       CPU of this process (all its threads; not the database server's) {cpu_line} | "
            f"API {cpu['api'] / cpu['floor']:.1f}x floor, evaluation {cpu['evaluation'] / cpu['floor']:.1f}x floor"
        )
    print("best of the runs (both municipalities, seconds; ratio to the floor of the same run):")
    best = min(totals, key=lambda p: p["extraction"] + p["evaluation"])
    for name in PHASES:
        values = [p[name] for p in totals if p.get(name)]
        if values:
            ratios = [p[name] / p["floor"] for p in totals if p.get(name)]
            median = sorted(ratios)[len(ratios) // 2]
            print(f"  {name:<26} {min(values):6.2f} s   ratio to floor: best {min(ratios):.1f}x, median {median:.1f}x")
    e2e = [(p["extraction"] + p["evaluation"]) / p["floor"] for p in totals]
    print(
        f"  {'end to end':<26} {best['extraction'] + best['evaluation']:6.2f} s   "
        f"ratio to floor: best {min(e2e):.1f}x, median {sorted(e2e)[len(e2e) // 2]:.1f}x"
    )
    reports = [p["report"] for p in totals if p.get("report")]
    if reports:
        print(
            f"  {'report model (on top)':<26} {min(reports):6.2f} s   beside evaluation alone "
            f"{best['evaluation']:.2f} s: evaluation + report model = "
            f"{(best['evaluation'] + min(reports)) / best['evaluation']:.2f}x evaluation alone"
        )
        for part in ("sections", "trend"):
            seconds = min(sum(v for k, v in r.items() if k.endswith(f" report {part}")) for r in runs)
            print(f"    {'of which ' + part:<24} {seconds:6.2f} s")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{'peak memory (maxrss)':<26} {peak_kib / 1024:6.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
