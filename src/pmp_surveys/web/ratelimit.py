"""Per-client limit on public submissions, shared by every worker, without keeping addresses.

A client is known only by a keyed hash of its address (`throttle.repository.subject_key` with
the client-hash sub-key of the one secret); its count lives in PostgreSQL (`throttles`), so the
limit holds across worker processes and restarts, and rows idle for an hour are pruned.

The guard applies to POST handlers whose `opt` has `public_submission=True` and to the JSON
submission endpoint (`POST /api/v1/campaigns/{slug}/responses`). An attempt that stores nothing
new — any 4xx/5xx answer, or a replay of an Idempotency-Key already stored
(`Idempotent-Replayed: true`) — is refunded when its response starts (`refund_unstored`), so a
client retrying with the same key after a 503 is not limited for it.
"""

from __future__ import annotations

import random
from typing import Any, Final, cast

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Message, Scope

from pmp_surveys.errors import TooManyRequests
from pmp_surveys.keys import Keys
from pmp_surveys.throttle import repository as throttle
from pmp_surveys.web.clientaddr import client_address
from pmp_surveys.web.context import context_from

WINDOW_SECONDS: Final = 60.0
JSON_SUBMIT_SUFFIX: Final = "/responses"
JSON_SUBMIT_PREFIX: Final = "/api/v1/campaigns/"
_SCOPE_KEY: Final = "pmp.submission_throttle"
#: One request in this many also deletes idle counters.
PRUNE_EVERY: Final = 500


def _is_public_submission(connection: ASGIConnection[Any, Any, Any, Any], handler: object) -> bool:
    if connection.scope.get("method") != "POST":
        return False
    opt = getattr(handler, "opt", None) or {}
    if opt.get("public_submission"):
        return True
    path = connection.scope.get("path", "")
    return path.startswith(JSON_SUBMIT_PREFIX) and path.endswith(JSON_SUBMIT_SUFFIX)


async def limit_public_submissions(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Litestar guard: raise TooManyRequests (429, with Retry-After) when over the limit."""
    if not _is_public_submission(connection, handler):
        return
    await reserve_submission(connection)


async def reserve_submission(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Count one submission of this client (refunded by `refund_unstored` if nothing is stored);
    raise TooManyRequests (429, with Retry-After) when over the limit. The respondent pages call
    it after reading the form, so that their 429 page can hand the answers back."""
    ctx = context_from(connection.app.state)
    per_minute = ctx.settings.submit_rate_per_minute
    if per_minute <= 0:
        return
    keys = connection.app.state["keys"]
    assert isinstance(keys, Keys)
    key = throttle.subject_key(keys.client_hash, "submit", client_address(connection))
    rule = throttle.Rule(limit=per_minute, window=WINDOW_SECONDS)
    if random.randrange(PRUNE_EVERY) == 0:  # noqa: S311 - scheduling, not security
        await throttle.prune(ctx.pg, 3600)
    if not await throttle.reserve(ctx.pg, key, rule):
        wait = await throttle.retry_after(ctx.pg, key, rule)
        raise TooManyRequests("Too many submissions from this client; please wait a minute.", retry_after=wait)
    cast(dict[str, Any], connection.scope)[_SCOPE_KEY] = key


async def refund_unstored(message: Message, scope: Scope) -> None:
    """`before_send` hook: refund the counted attempt when the response stored nothing new."""
    if message["type"] != "http.response.start":
        return
    key = cast(dict[str, Any], scope).pop(_SCOPE_KEY, None)
    if key is None:
        return
    headers = {name.lower(): value for name, value in message.get("headers", [])}
    if message["status"] < 400 and headers.get(b"idempotent-replayed") != b"true":
        return
    ctx = context_from(scope["app"].state)
    try:
        await throttle.refund(ctx.pg, key)
    except Exception:
        return
