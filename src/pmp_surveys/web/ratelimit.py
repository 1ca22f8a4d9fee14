"""Per-client limit on public submissions, without keeping client addresses.

A client is known only by HMAC(key, address), truncated; the key is random, held in memory and
replaced every hour (which also forgets every client). Each client has a sliding one-minute
window of submission times. One process, in memory: behind several workers each has its own
window, which is acceptable for abuse control (the limit is per worker).

The guard applies to POST handlers whose `opt` has `public_submission=True` and to the JSON
submission endpoint (`POST /api/v1/campaigns/{slug}/responses`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from typing import Any, Final

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from pmp_surveys.errors import TooManyRequests

WINDOW_SECONDS: Final = 60.0
KEY_LIFETIME_SECONDS: Final = 3600.0
#: Clients tracked at most; beyond it the oldest-idle are dropped (bounded memory under a flood).
MAX_CLIENTS: Final = 100_000
JSON_SUBMIT_SUFFIX: Final = "/responses"
JSON_SUBMIT_PREFIX: Final = "/api/v1/campaigns/"


class SubmissionLimiter:
    """At most `per_minute` hits per client in any 60 s window; `per_minute = 0` disables it."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._lock = threading.Lock()
        self._windows: dict[bytes, deque[float]] = {}
        self._key = secrets.token_bytes(32)
        self._key_born: float | None = None  # set at the first hit

    def client_id(self, address: str) -> bytes:
        """The keyed hash standing in for an address (the address itself is never kept)."""
        return hmac.new(self._key, address.encode(), hashlib.sha256).digest()[:16]

    def hit(self, address: str, now: float | None = None) -> bool:
        """Record one submission; False when it is over the limit (and then it is not recorded)."""
        if self.per_minute <= 0:
            return True
        now = time.monotonic() if now is None else now
        with self._lock:
            if self._key_born is None:
                self._key_born = now
            elif now - self._key_born >= KEY_LIFETIME_SECONDS:
                self._key = secrets.token_bytes(32)
                self._key_born = now
                self._windows.clear()
            client = self.client_id(address)
            window = self._windows.get(client)
            if window is None:
                if len(self._windows) >= MAX_CLIENTS:
                    self._evict(now)
                window = self._windows[client] = deque()
            while window and now - window[0] >= WINDOW_SECONDS:
                window.popleft()
            if len(window) >= self.per_minute:
                return False
            window.append(now)
            return True

    def _evict(self, now: float) -> None:
        idle = [k for k, w in self._windows.items() if not w or now - w[-1] >= WINDOW_SECONDS]
        for k in idle:
            del self._windows[k]
        while len(self._windows) >= MAX_CLIENTS:
            self._windows.pop(next(iter(self._windows)))


def _is_public_submission(connection: ASGIConnection[Any, Any, Any, Any], handler: object) -> bool:
    if connection.scope.get("method") != "POST":
        return False
    opt = getattr(handler, "opt", None) or {}
    if opt.get("public_submission"):
        return True
    path = connection.scope.get("path", "")
    return path.startswith(JSON_SUBMIT_PREFIX) and path.endswith(JSON_SUBMIT_SUFFIX)


async def limit_public_submissions(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Litestar guard: raise TooManyRequests (429) when the client is over the limit."""
    if not _is_public_submission(connection, handler):
        return
    limiter = connection.app.state.get("limiter")
    if not isinstance(limiter, SubmissionLimiter) or limiter.per_minute <= 0:
        return
    address = connection.client.host if connection.client else "unknown"
    if not limiter.hit(address):
        raise TooManyRequests("Too many submissions from this client; please wait a minute.")
