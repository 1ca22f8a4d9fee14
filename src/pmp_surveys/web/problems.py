"""The one place where failures become HTTP: RFC 9457 problem details for the JSON API.

HTML pages register their own renderer for the same exception tree (see `pages`); both go
through `problem_for`, so status codes and messages agree.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from pmp_surveys.errors import InvalidInput, PmpError, ServiceUnavailable, TooManyRequests, ValidationFailed

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


def problem_for(exc: Exception) -> tuple[int, dict[str, Any]]:
    """Status code and problem body for any exception."""
    if isinstance(exc, PmpError):
        body: dict[str, Any] = {"type": exc.code, "title": exc.message, "status": exc.status_code}
        if isinstance(exc, ValidationFailed | InvalidInput) and exc.errors:
            body["errors"] = exc.errors
        return exc.status_code, body
    if isinstance(exc, ValidationException):
        errors = [
            {"field": str(item.get("key", "")), "code": "invalid", "message": str(item.get("message", ""))}
            for item in (exc.extra if isinstance(exc.extra, list) else [])
            if isinstance(item, dict)
        ]
        return 400, {"type": "invalid_input", "title": "The request is malformed.", "status": 400, "errors": errors}
    if isinstance(exc, RecursionError):
        return 400, {
            "type": "invalid_input",
            "title": "The request is nested too deeply.",
            "status": 400,
            "errors": [{"field": "body", "code": "too_deep", "message": "The JSON is nested too deeply."}],
        }
    if (_sqlstate(exc) or "").startswith("22"):
        # Data exception (SQLSTATE class 22): a value the database cannot store, e.g. a NUL
        # character (22021, 22P05) or a string too long for its column (22001). Nothing was
        # written (the transaction rolled back); the client must change the request.
        return 400, {
            "type": "invalid_input",
            "title": "A value cannot be stored: it is too long or contains characters such as NUL.",
            "status": 400,
            "errors": [{"field": "body", "code": "unstorable", "message": "Remove control characters; shorten."}],
        }
    if _is_database_outage(exc):
        log.warning("database unavailable: %s", exc)
        return 503, {
            "type": "database_unavailable",
            "title": "The service is briefly unavailable. Please retry with the same Idempotency-Key: "
            "an answer is stored at most once.",
            "status": 503,
        }
    if isinstance(exc, NotFoundException):
        return 404, {"type": "not_found", "title": "Not found.", "status": 404}
    if isinstance(exc, HTTPException):
        return exc.status_code, {"type": "http_error", "title": exc.detail, "status": exc.status_code}
    log.exception("unhandled error", exc_info=exc)
    return HTTP_500_INTERNAL_SERVER_ERROR, {
        "type": "internal_error",
        "title": "Something went wrong on our side; nothing was stored.",
        "status": 500,
    }


#: Retry-After (seconds) of a 503 while the database is away or cannot take writes.
OUTAGE_RETRY_AFTER = 5
#: SQLSTATEs of a database that is up but cannot write now: read-only transaction or standby
#: (25006), and class 53, insufficient resources (53100 disk full, 53200 out of memory, …).
_CANNOT_WRITE = ("25006", "53")


def retry_after_for(exc: Exception, status: int) -> int | None:
    """Seconds for the Retry-After header of a 429 or 503, else None."""
    if isinstance(exc, TooManyRequests | ServiceUnavailable):
        return exc.retry_after
    if status == 429:
        return 60
    if status == 503:
        return OUTAGE_RETRY_AFTER
    return None


def _sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE anywhere in the exception's cause chain (asyncpg, or SQLAlchemy's wrappers)."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return None
        state = getattr(seen, "sqlstate", None) or getattr(getattr(seen, "orig", None), "sqlstate", None)
        if isinstance(state, str):
            return state
        seen = seen.__cause__ or seen.__context__
    return None


def _is_database_outage(exc: BaseException) -> bool:
    """A lost or refused database connection, or one that cannot write now (read-only, disk
    full): the client may retry (idempotency makes it safe)."""
    import asyncpg
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(exc, ServiceUnavailable):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, PoolTimeout):  # every connection of a (small) pool stayed busy: retry later
        return True
    state = _sqlstate(exc)
    if state is not None and (state.startswith(_CANNOT_WRITE) or state.startswith(("08", "57"))):
        return True
    outage = (
        asyncpg.exceptions.PostgresConnectionError,  # connection lost or refused
        asyncpg.exceptions.OperatorInterventionError,  # SQLSTATE class 57: shutdown, restart
        asyncpg.exceptions.InterfaceError,  # used a connection the server closed
        asyncpg.exceptions.InternalClientError,  # protocol state broken by the connection dying mid-call
        ConnectionError,
        OSError,
    )
    return isinstance(exc, outage) or isinstance(exc.__cause__, outage)


_pending: set[asyncio.Task[None]] = set()


def reconnect_if_cannot_write(request: Request[Any, Any, Any], exc: Exception) -> None:
    """After a read-only or disk-full error, replace the pools' connections (in the background),
    so the service heals by itself when the database does: a session that was opened read-only
    (e.g. `ALTER DATABASE … SET default_transaction_read_only`) stays so until it is closed."""
    state = _sqlstate(exc)
    if state is None or not state.startswith(_CANNOT_WRITE):
        return
    ctx = request.app.state.get("ctx")
    pool, engine = getattr(ctx, "pool", None), getattr(ctx, "engine", None)

    async def renew() -> None:
        if pool is not None:
            await pool.expire_connections()
        if engine is not None:
            await engine.dispose(close=False)

    task = asyncio.get_running_loop().create_task(renew())
    _pending.add(task)
    task.add_done_callback(_pending.discard)


def problem_response(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    status, body = problem_for(exc)
    reconnect_if_cannot_write(request, exc)
    headers = {}
    if status == 405 and isinstance(exc, HTTPException) and exc.headers:
        headers = dict(exc.headers)
    wait = retry_after_for(exc, status)
    if wait is not None:
        headers["Retry-After"] = str(wait)
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def json_error_handlers() -> dict[type[Exception] | int, Any]:
    return {Exception: problem_response}


__all__ = [
    "PROBLEM_JSON",
    "MediaType",
    "json_error_handlers",
    "problem_for",
    "problem_response",
    "reconnect_if_cannot_write",
    "retry_after_for",
]
