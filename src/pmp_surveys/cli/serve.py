"""`pmp-surveys serve`: migrate, load the data files, and run the web service.

With `--workers N` (or PMP_WORKERS) the ASGI server — uvicorn, or Granian with `--server granian`
(PMP_SERVER) — runs N worker processes on one port, each building
the app from the environment (`pmp_surveys.app:app_from_env`); they share nothing but the
database and the secret, which is all they need (see README, "Deployment").

When `serve` started the embedded PostgreSQL itself, a watchdog thread checks once a second that
the server is alive; if it dies (a crash, `kill -9`), `serve` says so on stderr, stops the
workers and exits with status 3, rather than answering every request with 503 for ever.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pmp_surveys.cli.prepare import prepare
from pmp_surveys.cli.runtime import describe_database, record_server_url, run_in_session, settings_with_database

#: Exit status when the embedded database died under the service.
DATABASE_DIED = 3
#: The ASGI servers `serve` can run (README, "Speed": why uvicorn is the default).
SERVERS = ("uvicorn", "granian")


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the service (embedded PostgreSQL unless PMP_DATABASE_URL)")
    serve.add_argument("--demo", action="store_true", help="also create open demo campaigns and print their links")
    serve.add_argument("--host", help="default PMP_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, help="default PMP_PORT or 8000")
    serve.add_argument("--workers", type=int, help="worker processes (default PMP_WORKERS or 1)")
    serve.add_argument("--server", choices=SERVERS, help="ASGI server (default PMP_SERVER or uvicorn)")
    serve.set_defaults(handler=run_serve)


def _watch_embedded(data_dir: Path, died: threading.Event) -> None:
    """Watchdog: when the embedded server's process is gone, report and stop the service."""
    import psutil

    from pmp_surveys.db.embedded import postmaster_pid

    pid = postmaster_pid(data_dir)
    if pid is None:
        return
    while True:
        time.sleep(1.0)
        try:
            alive = psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            alive = False
        if not alive:
            print(
                f"pmp-surveys: the embedded PostgreSQL (pid {pid}, {data_dir / 'pgdata'}) has stopped; "
                "stopping the service. Start `pmp-surveys serve` again to restart both.",
                file=sys.stderr,
                flush=True,
            )
            died.set()
            os.kill(os.getpid(), signal.SIGTERM)
            return


def _announce_when_ready(host: str, port: int, announce: Callable[[], None], timeout: float = 300.0) -> None:
    """Call `announce` once `GET /healthz` at `host`:`port` answers 200 (or at `timeout`)."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    break
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    announce()


def run_serve(args: argparse.Namespace) -> int:
    import msgspec

    from pmp_surveys.cli.demo import print_links, seed_demo

    embedded = not os.environ.get("PMP_DATABASE_URL")
    settings = settings_with_database()
    given = (("host", args.host), ("port", args.port), ("workers", args.workers), ("server", args.server))
    overrides = {k: v for k, v in given if v}
    settings = msgspec.structs.replace(settings, **overrides)
    catalogue = prepare(settings)
    links = (
        run_in_session(settings, lambda s: seed_demo(s, sorted(catalogue.municipalities), catalogue=catalogue))
        if args.demo
        else None
    )

    def announce() -> None:
        print(f"pmp-surveys on {settings.base_url}  (database: {describe_database(settings)})")
        print(f"  API docs       {settings.base_url}/schema")
        if links is not None:
            print("  demo survey links (synthetic data, for trying the product):")
            print_links(settings, links)
        sys.stdout.flush()

    # The address and links are printed once the server answers, not before: a link clicked at
    # once used to meet a refused connection for several seconds while the workers started.
    local = settings.host if settings.host not in ("", "0.0.0.0", "::") else "127.0.0.1"  # noqa: S104
    threading.Thread(target=_announce_when_ready, args=(local, settings.port, announce), daemon=True).start()
    died = threading.Event()
    # uvicorn re-raises SIGTERM after its graceful shutdown; with the default handler the process
    # would die without running atexit, which is where the embedded PostgreSQL is stopped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(DATABASE_DIED if died.is_set() else 0))
    if embedded:
        threading.Thread(target=_watch_embedded, args=(settings.data_dir, died), daemon=True).start()
    noted = record_server_url(settings)  # `users invite` and `demo` print links to this address
    try:
        if settings.server == "granian":
            _run_granian(settings)
        else:
            _run_uvicorn(settings)
    finally:
        noted.unlink(missing_ok=True)
    return DATABASE_DIED if died.is_set() else 0


def _run_granian(settings: Any) -> None:
    """`settings.workers` Granian worker processes (ASGI), until it stops. Granian always runs
    its workers as separate processes, so even one builds the app from the environment."""
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    assert settings.database_url
    os.environ.update(PMP_DATABASE_URL=settings.database_url, PMP_HOST=settings.host, PMP_PORT=str(settings.port))
    Granian(
        "pmp_surveys.app:app_from_env",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        workers=max(1, settings.workers),
        factory=True,
        log_level=LogLevels(os.environ.get("PMP_LOG_LEVEL", "warning")),
        log_access=False,
        respawn_failed_workers=True,
    ).serve()


def _run_uvicorn(settings: Any) -> None:
    """One process, or `settings.workers` worker processes of uvicorn, until it stops."""
    import uvicorn

    if settings.workers > 1:
        # Workers are fresh processes: they build the app from the environment, pointed at the
        # database this process prepared.
        assert settings.database_url
        os.environ.update(PMP_DATABASE_URL=settings.database_url, PMP_HOST=settings.host, PMP_PORT=str(settings.port))
        uvicorn.run(
            "pmp_surveys.app:app_from_env",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            # uvicorn kills a worker that does not answer its health ping within 5 s; importing
            # the app can take longer on a busy 2-core machine, and the worker would be
            # restarted for ever before it ever served.
            timeout_worker_healthcheck=60,
            log_level=os.environ.get("PMP_LOG_LEVEL", "warning"),
        )
    else:
        from pmp_surveys.app import create_app

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")
