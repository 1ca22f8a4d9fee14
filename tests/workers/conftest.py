"""Real `pmp-surveys serve` processes on loopback ports, sharing the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.live import free_port
from tests.pages.conftest import loaded, make_campaign

SERVE = Path(sys.executable).parent / "pmp-surveys"
#: base URL -> pid of the `serve` process answering there
PIDS: dict[str, int] = {}
PROCS: dict[str, subprocess.Popen[str]] = {}

__all__ = ["PIDS", "PROCS", "loaded", "make_campaign", "serving"]


@contextmanager
def serving(database_url: str, data_dir: Path, *, port: int | None = None, **env: str) -> Iterator[str]:
    """Run `pmp-surveys serve` (its own process tree); yield its base URL; SIGTERM it after.
    An empty `database_url` means the embedded server in `data_dir`."""
    port = port or free_port()
    environment = {
        **os.environ,
        "PMP_DATABASE_URL": database_url,
        "PMP_DATA_DIR": str(data_dir),
        "PMP_HOST": "127.0.0.1",
        "PMP_PORT": str(port),
        "PMP_SECRET_KEY": "",
        **env,
    }
    PROCS[f"http://127.0.0.1:{port}"] = proc = subprocess.Popen(
        [str(SERVE), "serve"], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, proc)
        PIDS[base] = proc.pid
        yield base
    finally:
        PIDS.pop(base, None)
        PROCS.pop(base, None)
        stop(proc)


def wait_ready(base: str, proc: subprocess.Popen[str], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("serve did not become ready")


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
