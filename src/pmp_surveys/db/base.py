"""Declarative base with a constraint naming convention, so migrations get stable names."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CreatedAt:
    """Mixin: a server-side creation timestamp."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


def import_models() -> MetaData:
    """Import every domain's models so `Base.metadata` is complete (for Alembic and tests)."""
    from pmp_surveys.accounts import models as _accounts  # noqa: F401
    from pmp_surveys.audit import models as _audit  # noqa: F401
    from pmp_surveys.campaigns import models as _campaigns  # noqa: F401
    from pmp_surveys.distribution import models as _distribution  # noqa: F401
    from pmp_surveys.evaldata import models as _evaldata  # noqa: F401
    from pmp_surveys.indicators import models as _indicators  # noqa: F401
    from pmp_surveys.instruments import models as _instruments  # noqa: F401
    from pmp_surveys.plans import models as _plans  # noqa: F401
    from pmp_surveys.responses import models as _responses  # noqa: F401
    from pmp_surveys.schools import models as _schools  # noqa: F401
    from pmp_surveys.throttle import models as _throttle  # noqa: F401

    return Base.metadata
