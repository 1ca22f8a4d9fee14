"""Who may see what. Pure rules here; the request dependency that finds the user is in
`accounts.auth` (session cookie → user).

Isolation rule: an evaluator or coordinator asking for another municipality's object gets 404,
not 403, so the existence of other municipalities' campaigns is not revealed.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from pmp_surveys.errors import Forbidden, NotFound

Role = Literal["operator", "evaluator", "coordinator"]


class CurrentUser(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    email: str
    name: str
    role: Role
    municipality: str | None
    school_id: int | None
    #: Per-session secret from which admin forms' CSRF tokens are derived.
    csrf_secret: bytes = b""

    @property
    def is_operator(self) -> bool:
        return self.role == "operator"


def can_see_municipality(user: CurrentUser, municipality: str) -> bool:
    return user.role == "operator" or user.municipality == municipality


def require_municipality(user: CurrentUser, municipality: str) -> None:
    """Raise NotFound unless the user may see this municipality's data."""
    if not can_see_municipality(user, municipality):
        raise NotFound("Not found.")


def require_evaluator(user: CurrentUser, municipality: str) -> None:
    """Evaluators (of this municipality) and operators: may read answers' aggregates and change campaigns."""
    require_municipality(user, municipality)
    if user.role == "coordinator":
        raise Forbidden("School coordinators see response counts and rates only.")


def require_school(user: CurrentUser, municipality: str, school_id: int) -> None:
    """Coordinators: only their own school; evaluators and operators: any school they may see."""
    require_municipality(user, municipality)
    if user.role == "coordinator" and user.school_id != school_id:
        raise NotFound("Not found.")
