"""Submission throughput: the product's full path against a bare Litestar + asyncpg insert.

    .venv/bin/python benchmarks/submissions.py [--seconds 20] [--connections 64] [--workers 1 2]
        [--servers uvicorn granian]

Both apps run in this one invocation, one after the other, on the same database server
(embedded unless PMP_DATABASE_URL is set), under each ASGI server of `--servers` with the same
number of worker processes (each N of `--workers` in turn), driven by `wrk` over
loopback with a fresh Idempotency-Key per request. Prints requests/s, p50/p99 latency, the
ratio product/bare, and checks that every 201 is a stored row. Needs `wrk` (Debian: wrk).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from pmp_surveys.db import migrate  # noqa: E402
from pmp_surveys.db.embedded import asyncpg_connect_args, start_embedded  # noqa: E402

ANSWERS = {
    "programme": "bea",
    "overall_satisfaction": 5,
    "aspect_topics": 4,
    "aspect_leader": 5,
    "aspect_atmosphere": 4,
    "aspect_skills": 3,
    "would_recommend": "yes",
    "confidence_change": 4,
    "child_age": "age_4_7",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


def run_wrk(url: str, seconds: int, connections: int) -> dict[str, int]:
    env = {**os.environ, "BENCH_BODY": json.dumps({"answers": ANSWERS})}
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(ROOT / "benchmarks" / "submit.lua"),
            url,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if os.environ.get("BENCH_DEBUG"):
        print(out)
    match = re.search(r"RESULT (.*)", out)
    if not match:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    return {k: int(v) for k, v in (pair.split("=") for pair in match.group(1).split())}


async def prepare(db_url: str) -> None:
    """Schema, instruments and one open campaign, through the product's own code."""
    from pmp_surveys.campaigns.models import Campaign
    from pmp_surveys.db.engine import create_engine, session_factory
    from pmp_surveys.instruments.loader import load_instrument_dir
    from pmp_surveys.instruments.repository import InstrumentRepository
    from pmp_surveys.instruments.service import sync_instruments

    engine = create_engine(db_url, pool_size=1)
    async with session_factory(engine)() as session, session.begin():
        await sync_instruments(session, load_instrument_dir(ROOT / "surveys"))
        version = await InstrumentRepository(session).latest("parent-satisfaction")
        assert version is not None
        session.add(
            Campaign(
                slug="bench",
                municipality="riga",
                instrument_version_id=version.id,
                wave=2026,
                title="benchmark",
                status="open",
                audience="parents",
                access_mode="public_link",
            )
        )
    await engine.dispose()


async def admin(url: str, sql: str, database: str = "postgres") -> Any:
    args = asyncpg_connect_args(url)
    args["database"] = database
    conn = await asyncpg.connect(**args)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


def commands(server: str, workers: int) -> tuple[list[str], list[str]]:
    """(bare app, product) command lines for `server` with `workers` processes; "--port N" is
    appended by `start`."""
    if server == "granian":
        granian = [str(Path(sys.executable).parent / "granian"), "--interface", "asgi", "--log-level", "warning"]
        granian += ["--workers", str(workers), "--no-access-log"]
        return [*granian, "benchmarks.bare_app:app"], [*granian, "--factory", "pmp_surveys.app:app_from_env"]
    uvicorn = [sys.executable, "-m", "uvicorn", "--log-level", "warning", "--no-access-log"]
    scale = ["--workers", str(workers), "--timeout-worker-healthcheck", "60"] if workers > 1 else []
    return (
        [*uvicorn, *scale, "benchmarks.bare_app:app"],
        [*uvicorn, *scale, "--factory", "pmp_surveys.app:app_from_env"],
    )


def start(cmd: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=ROOT)
    wait_for(port)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:  # uvicorn waits for keep-alive connections; don't
        proc.kill()
        proc.wait(5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, nargs="+", default=[1], help="worker counts to compare")
    parser.add_argument(
        "--servers", nargs="+", default=["uvicorn"], choices=["uvicorn", "granian"], help="ASGI servers to compare"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    db_server = os.environ.get("PMP_DATABASE_URL") or start_embedded(ROOT / ".pmp")
    name = f"pmp_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(admin(db_server, f'CREATE DATABASE "{name}"'))
    db_url = make_url(db_server).set(database=name).render_as_string(hide_password=False)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        migrate.upgrade(db_url, ROOT / "migrations")
        asyncio.run(prepare(db_url))
        asyncio.run(admin(db_url, "CREATE TABLE bench_bare (id bigserial PRIMARY KEY, body jsonb NOT NULL)", name))
        a = asyncpg_connect_args(db_url)
        dsn = f"postgresql://{a['user']}@/{name}?host={a.get('host', '127.0.0.1')}&port={a.get('port', 5432)}"
        rates: dict[tuple[str, str, int], float] = {}
        for server, workers in ((s, w) for s in args.servers for w in args.workers):
            results = {}
            bare_cmd, product_cmd = commands(server, workers)
            for label, cmd, env, path in (
                ("bare", bare_cmd, {"BENCH_DSN": dsn}, "/bare/bench/responses"),
                (
                    "product",
                    product_cmd,
                    {"PMP_DATABASE_URL": db_url, "PMP_SUBMIT_RATE": "0"},
                    "/api/v1/campaigns/bench/responses",
                ),
            ):
                port = free_port()
                proc = start([*cmd, "--port", str(port)], env, port)
                procs.append(proc)
                # warm-up; with several workers the socket opens before every worker is ready
                run_wrk(f"http://127.0.0.1:{port}{path}", 2 + 3 * (workers > 1), args.connections)
                results[label] = run_wrk(f"http://127.0.0.1:{port}{path}", args.seconds, args.connections)
                stop(proc)
            print(
                f"\nsubmissions, {args.connections} connections, {args.seconds} s each, {workers} {server} "
                f"worker(s), {os.cpu_count()} cores (shared with other work), loopback"
            )
            print(f"{'':8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'errors':>7}")
            for label, r in results.items():
                rate = r["requests"] / (r["duration_us"] / 1e6)
                rates[server, label, workers] = rate
                errors = r["errors_connect"] + r["errors_timeout"]
                print(
                    f"{label:8} {rate:9.0f} {r['p50_us'] / 1000:8.1f} {r['p99_us'] / 1000:8.1f} "
                    f"{r['errors_status']:8d} {errors:7d}"
                )
            print(f"ratio product/bare: {rates[server, 'product', workers] / rates[server, 'bare', workers]:.2f}")
        first = args.workers[0]
        for server in args.servers:
            for workers in args.workers[1:]:
                product = rates[server, "product", workers] / rates[server, "product", first]
                bare = rates[server, "bare", workers] / rates[server, "bare", first]
                print(f"{server}: product at {workers} workers / at {first}: {product:.2f}; bare: {bare:.2f}")
        if len(args.servers) > 1:
            a, b = args.servers[:2]
            for workers in args.workers:
                print(
                    f"{b} / {a}, {workers} worker(s): product "
                    f"{rates[b, 'product', workers] / rates[a, 'product', workers]:.2f}, "
                    f"bare {rates[b, 'bare', workers] / rates[a, 'bare', workers]:.2f}"
                )
        stored_bare = asyncio.run(admin(db_url, "SELECT count(*) FROM bench_bare", name))
        stored_product = asyncio.run(admin(db_url, "SELECT count(*) FROM responses", name))
        print(f"rows stored (incl. warm-up): bare {stored_bare}, product {stored_product}")
        return 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
        asyncio.run(admin(db_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    sys.exit(main())
