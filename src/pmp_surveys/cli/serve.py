"""`pmp-surveys serve`: migrate, load the data files, and run the web service."""

from __future__ import annotations

import argparse
import signal
import sys
from typing import Any

from pmp_surveys.cli.prepare import prepare
from pmp_surveys.cli.runtime import describe_database, record_server_url, run_in_session, settings_with_database


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the service (embedded PostgreSQL unless PMP_DATABASE_URL)")
    serve.add_argument("--demo", action="store_true", help="also create open demo campaigns and print their links")
    serve.add_argument("--host", help="default PMP_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, help="default PMP_PORT or 8000")
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import msgspec
    import uvicorn

    from pmp_surveys.app import create_app
    from pmp_surveys.cli.demo import print_links, seed_demo

    settings = settings_with_database()
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v}
    settings = msgspec.structs.replace(settings, **overrides)
    catalogue = prepare(settings)
    print(f"pmp-surveys on {settings.base_url}  (database: {describe_database(settings)})")
    print(f"  API docs       {settings.base_url}/schema")
    if args.demo:
        links = run_in_session(settings, lambda s: seed_demo(s, sorted(catalogue.municipalities), catalogue=catalogue))
        print("  demo survey links (synthetic data, for trying the product):")
        print_links(settings, links)
    # uvicorn re-raises SIGTERM after its graceful shutdown; with the default handler the process
    # would die without running atexit, which is where the embedded PostgreSQL is stopped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    noted = record_server_url(settings)  # `users invite` and `demo` print links to this address
    try:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning")
    finally:
        noted.unlink(missing_ok=True)
    return 0
