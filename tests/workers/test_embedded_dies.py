"""`serve` never keeps running against nothing: when its embedded PostgreSQL is killed outright
it says so and exits non-zero (before: it went on answering every request with 503)."""

from __future__ import annotations

import os
import shutil
import signal
import uuid
from pathlib import Path

import httpx

from pmp_surveys.db.embedded import postmaster_pid
from pmp_surveys.settings import project_root
from tests.workers.conftest import PROCS, serving


def test_kill_9_of_the_embedded_server_stops_serve_with_a_message() -> None:
    data_dir = project_root() / ".pmp" / f"kill9-{uuid.uuid4().hex[:6]}"
    try:
        _kill_and_watch(data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def _kill_and_watch(data_dir: Path) -> None:
    with serving("", data_dir, PMP_SUBMIT_RATE="0") as base:
        proc = PROCS[base]
        pid = postmaster_pid(data_dir)
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        returncode = proc.wait(60)
        stderr = proc.stderr.read() if proc.stderr else ""
    assert returncode == 3
    assert "embedded PostgreSQL" in stderr and "has stopped" in stderr
    try:
        httpx.get(f"{base}/healthz", timeout=2)
        raise AssertionError("the service still answers")
    except httpx.TransportError:
        pass
