"""The shared vocabulary of every statistical result.

Every estimate the package returns is a frozen msgspec struct with the same field names
(`estimate`, `std_error`, `ci_low`, `ci_high`, `confidence_level`, `n`, `method`), so a
result converts the same way to a polars row, to JSON and to a report cell.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec
import polars as pl

Alternative = Literal["two-sided", "greater", "less"]
ALTERNATIVES: tuple[Alternative, ...] = ("two-sided", "greater", "less")

#: Default minimum group size below which no figure may leave the system (DESIGN.md §5).
DEFAULT_SUPPRESSION_THRESHOLD = 5


class Result(msgspec.Struct, frozen=True, kw_only=True):
    """Base of all results: conversion helpers only."""

    def to_dict(self) -> dict[str, Any]:
        """Plain builtins, ready for JSON."""
        return msgspec.to_builtins(self)  # type: ignore[no-any-return]

    def to_json(self) -> bytes:
        return msgspec.json.encode(self)

    def to_frame(self) -> pl.DataFrame:
        """One-row polars frame; nested values stay as structs."""
        return pl.DataFrame([self.to_dict()])


class Estimate(Result, frozen=True, kw_only=True):
    """A point estimate with its interval.

    `suppressed=True` means the group was under the suppression threshold: every numeric field
    is then None and must be shown as "suppressed", never as a number.
    """

    estimate: float | None
    std_error: float | None
    ci_low: float | None
    ci_high: float | None
    confidence_level: float
    n: int
    method: str
    suppressed: bool = False


class TestResult(Result, frozen=True, kw_only=True):
    """A hypothesis test: statistic, p-value and what was tested."""

    statistic: float | None
    p_value: float | None
    alternative: Alternative
    method: str


def check_confidence_level(confidence_level: float) -> None:
    """Raise ValueError unless 0 < confidence_level < 1."""
    if not 0.0 < confidence_level < 1.0:
        raise ValueError(f"confidence_level must be strictly between 0 and 1, got {confidence_level!r}")


def check_alternative(alternative: str) -> Alternative:
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")
    return alternative
