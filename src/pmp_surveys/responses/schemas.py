"""Submission shapes. Answers stay loosely typed here; the instrument's validator types them."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import msgspec

Lang = Literal["lv", "ru", "uk", "en"]


class SubmissionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    #: question id → answer (option value, scale point, list of values, number or text)
    answers: dict[str, Any]
    #: language for error messages; defaults to the `lang` query parameter, then Latvian
    lang: Lang | None = None


class SubmissionOut(msgspec.Struct, kw_only=True):
    status: Literal["stored"]
    campaign: str
    submitted_on: date
    #: True when this answers a retry: the response was stored by an earlier request.
    replayed: bool
