"""Distribution shapes: response rates per school (counts only, never answers)."""

from __future__ import annotations

import msgspec


class SchoolRate(msgspec.Struct, frozen=True, kw_only=True):
    """How far one school's teachers have answered one campaign.

    `rate` is responses / teachers, None when the head-count is unknown or zero. Counts are not
    answers, so no suppression is applied here; the caller decides what a coordinator sees.
    """

    school_id: int
    code: str
    name: str
    teachers: int | None
    responses: int
    rate: float | None
    codes_issued: int
    codes_used: int
