"""One exception tree for the whole service; `web/problems.py` maps it to HTTP in one place.

PmpError                      any failure the service explains to its caller
├── NotFound                  404  no such campaign, school, …  (also: another municipality's)
├── Forbidden                 403  signed in, but not allowed
├── Unauthorized              401  not signed in
├── Conflict                  409  state forbids it: campaign not open yet, key reused …
│   └── IdempotencyConflict   409  same Idempotency-Key, different body
├── Gone                      410  campaign closed
├── InvalidInput              400  malformed request (bad JSON, missing header)
├── ValidationFailed          422  well-formed, but answers/fields are wrong (field errors)
├── TooManyRequests           429  rate limit (Retry-After)
└── ServiceUnavailable        503  the database cannot take writes now (Retry-After)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class PmpError(Exception):
    status_code = 500
    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotFound(PmpError):
    status_code = 404
    code = "not_found"


class Forbidden(PmpError):
    status_code = 403
    code = "forbidden"


class Unauthorized(PmpError):
    status_code = 401
    code = "unauthorized"


class Conflict(PmpError):
    status_code = 409
    code = "conflict"


class IdempotencyConflict(Conflict):
    code = "idempotency_key_reused"


class Gone(PmpError):
    status_code = 410
    code = "gone"


class InvalidInput(PmpError):
    status_code = 400
    code = "invalid_input"

    def __init__(self, message: str, *, errors: Sequence[Mapping[str, str]] = (), code: str | None = None):
        super().__init__(message, code=code)
        self.errors = list(errors)


class ValidationFailed(PmpError):
    """Field-level errors: `errors` is a list of {"field", "code", "message"}."""

    status_code = 422
    code = "validation_failed"

    def __init__(self, message: str, *, errors: Sequence[Mapping[str, str]], code: str | None = None):
        super().__init__(message, code=code)
        self.errors = list(errors)


class TooManyRequests(PmpError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int = 60, code: str | None = None) -> None:
        super().__init__(message, code=code)
        #: whole seconds until a retry can pass (sent as the Retry-After header)
        self.retry_after = max(1, retry_after)


class ServiceUnavailable(PmpError):
    status_code = 503
    code = "database_unavailable"

    def __init__(self, message: str, *, retry_after: int = 5, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = max(1, retry_after)
