"""Refuse control characters in a request's path and query before any handler sees them.

PostgreSQL cannot store NUL (U+0000) in text, and no address of the service has a control
character in it, so such a request gets a 400 with the offending parameter named (JSON problem
on the API, the translated HTML page on the pages), instead of a database error.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from pmp_surveys.errors import InvalidInput


def _bad(value: object) -> bool:
    return isinstance(value, str) and not value.isprintable()


async def refuse_control_characters(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Litestar guard: InvalidInput (400) naming the path or query parameter with a control char."""
    for name, value in connection.path_params.items():
        if _bad(value):
            raise InvalidInput(
                "The address contains a control character.",
                errors=[{"field": name, "code": "control_character", "message": "Control characters are not allowed."}],
            )
    if _bad(connection.scope.get("path", "")):
        raise InvalidInput(
            "The address contains a control character.",
            errors=[{"field": "path", "code": "control_character", "message": "Control characters are not allowed."}],
        )
    for name, value in connection.query_params.multi_items():
        if _bad(name) or _bad(value):
            raise InvalidInput(
                "The query contains a control character.",
                errors=[{"field": name, "code": "control_character", "message": "Control characters are not allowed."}],
            )
