"""SQL for the shared rate-limit counters (asyncpg, outside any request transaction).

Each attempt is *reserved* before the work it limits is done, in one statement that takes the
row lock: `INSERT … ON CONFLICT DO UPDATE … WHERE <allowed>`. Concurrent attempts on one key,
from any worker, queue on that lock, so at most `limit` of them are ever let through (plus the
growing-delay ones, one at a time).

Policy per key: the first `limit` attempts in a window of `window` seconds pass; after that,
without `growing`, none until the window ends; with `growing`, one more each time
`delay` × 2^(hits - limit) seconds (capped at the window) have passed since the last attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime

from pmp_surveys.db.pg import Executor


@dataclass(frozen=True)
class Rule:
    """`limit` attempts per `window` seconds; `growing` delays (`delay` s, doubling) instead of
    a fixed wait until the window ends."""

    limit: int
    window: float
    growing: bool = False
    delay: float = 1.0


def subject_key(secret: bytes, purpose: str, subject: str) -> bytes:
    """The 16-byte keyed hash stored instead of an address or e-mail."""
    return hmac.new(secret, f"{purpose}\x00{subject}".encode(), hashlib.sha256).digest()[:16]


_STALE = "t.window_start <= now() - make_interval(secs => $2)"

_RESERVE = f"""
INSERT INTO throttles AS t (key, hits, window_start, last_at) VALUES ($1, 1, now(), now())
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN {_STALE} THEN 1 ELSE t.hits + 1 END,
    window_start = CASE WHEN {_STALE} THEN now() ELSE t.window_start END,
    last_at = now()
WHERE {_STALE}
   OR t.hits < $3
   OR ($4 AND t.last_at + make_interval(secs => least($5 * power(2, t.hits - $3), $2)) <= now())
RETURNING hits
"""


async def reserve(db: Executor, key: bytes, rule: Rule) -> bool:
    """Count one attempt if the rule allows it now; False (nothing counted) if it does not."""
    row = await db.fetchrow(_RESERVE, key, float(rule.window), rule.limit, rule.growing, float(rule.delay))
    return row is not None


async def retry_after(db: Executor, key: bytes, rule: Rule) -> int:
    """Whole seconds until `reserve` could pass again (at least 1 if it is refused now)."""
    row = await db.fetchrow("SELECT hits, window_start, last_at, now() AS now FROM throttles WHERE key = $1", key)
    if row is None or row["hits"] < rule.limit:
        return 1
    now: datetime = row["now"]
    until: float = (row["window_start"] - now).total_seconds() + rule.window
    if rule.growing:
        delay = min(rule.delay * 2.0 ** (row["hits"] - rule.limit), rule.window)
        until = min(until, (row["last_at"] - now).total_seconds() + delay)
    return max(1, math.ceil(until))


async def refund(db: Executor, key: bytes) -> None:
    """Take back one counted attempt (it turned out not to be one the limit is about)."""
    await db.execute("UPDATE throttles SET hits = greatest(hits - 1, 0) WHERE key = $1", key)


async def clear(db: Executor, keys: list[bytes]) -> None:
    await db.execute("DELETE FROM throttles WHERE key = ANY($1::bytea[])", keys)


async def prune(db: Executor, older_than_seconds: float) -> None:
    """Forget subjects idle for longer than `older_than_seconds` (no hash outlives its use)."""
    await db.execute("DELETE FROM throttles WHERE last_at < now() - make_interval(secs => $1)", older_than_seconds)
