"""In-memory limit on failed sign-ins, per e-mail and per client (keyed hash of its address).

A process-local sliding window is enough for one service process; several processes each keep
their own window, which multiplies the allowance by the process count but never disables it.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections import deque
from collections.abc import Callable

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
#: Upper bound on tracked keys, so a flood of distinct e-mails cannot exhaust memory.
MAX_KEYS = 100_000


class LoginLimiter:
    def __init__(
        self,
        secret: bytes,
        *,
        max_failures: int = MAX_FAILURES,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._secret = secret
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _keys(self, email: str, client: str | None) -> list[str]:
        keys = ["e:" + hmac.new(self._secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()]
        if client:
            keys.append("c:" + hmac.new(self._secret, client.encode(), hashlib.sha256).hexdigest())
        return keys

    def _recent(self, key: str, now: float) -> deque[float]:
        stamps = self._failures.get(key)
        if stamps is None:
            return deque()
        while stamps and stamps[0] <= now - self.window_seconds:
            stamps.popleft()
        if not stamps:
            del self._failures[key]
        return stamps

    def retry_after(self, email: str, client: str | None) -> int:
        """Seconds until another attempt is allowed; 0 if allowed now."""
        now = self._clock()
        wait = 0.0
        for key in self._keys(email, client):
            stamps = self._recent(key, now)
            if len(stamps) >= self.max_failures:
                wait = max(wait, stamps[0] + self.window_seconds - now)
        return math.ceil(wait)

    def failed(self, email: str, client: str | None) -> None:
        now = self._clock()
        if len(self._failures) >= MAX_KEYS:
            for key in list(self._failures):
                self._recent(key, now)
            if len(self._failures) >= MAX_KEYS:
                self._failures.pop(next(iter(self._failures)))
        for key in self._keys(email, client):
            self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, email: str) -> None:
        """A correct password clears the e-mail's count (not the client's)."""
        for key in self._keys(email, None):
            self._failures.pop(key, None)
