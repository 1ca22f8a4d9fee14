"""`serve` prints its address and links only once the server answers them.

Before: the links were printed before uvicorn had even started, and on a busy machine a link
clicked at once met a refused connection for several seconds (a newcomer saw about 10 s).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx

from tests.live import free_port
from tests.workers.conftest import SERVE, stop


def test_the_printed_address_answers_at_once(database_url: str, tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PMP_DATABASE_URL": database_url,
        "PMP_DATA_DIR": str(tmp_path),
        "PMP_HOST": "127.0.0.1",
        "PMP_PORT": str(port),
        "PMP_SECRET_KEY": "",
        "PYTHONUNBUFFERED": "1",
    }
    proc = subprocess.Popen(
        [str(SERVE), "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 120
        line = ""
        while time.monotonic() < deadline and "API docs" not in line:
            line = proc.stdout.readline()
            assert line or proc.poll() is None, "serve exited before printing its address"
        assert "API docs" in line
        # the very moment the address is printed, it answers (no retry, no wait)
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
    finally:
        stop(proc)  # type: ignore[arg-type]
