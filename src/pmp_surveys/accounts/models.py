"""Users, invitations and server-side sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from pmp_surveys.db.base import Base, CreatedAt

ROLES = ("operator", "evaluator", "coordinator")

#: operator: no municipality; evaluator: a municipality; coordinator: a municipality and a school.
ROLE_SCOPE = (
    "(role = 'operator' AND municipality IS NULL AND school_id IS NULL)"
    " OR (role = 'evaluator' AND municipality IS NOT NULL AND school_id IS NULL)"
    " OR (role = 'coordinator' AND municipality IS NOT NULL AND school_id IS NOT NULL)"
)


class User(CreatedAt, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role_known"),
        CheckConstraint(ROLE_SCOPE, name="role_scope"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    #: Stored lower-cased; unique.
    email: Mapped[str] = mapped_column(String(254), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    #: argon2id hash (argon2-cffi); never the password.
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    municipality: Mapped[str | None] = mapped_column(String(32))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class Invitation(CreatedAt, Base):
    """A one-time link that lets a new user set a password; only its hash is stored."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role_known"),
        CheckConstraint(ROLE_SCOPE, name="role_scope"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False, unique=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    municipality: Mapped[str | None] = mapped_column(String(32))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"))
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UserSession(CreatedAt, Base):
    """A signed-in browser. The cookie holds a random token; the table only its hash."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    #: Per-session secret for CSRF tokens on admin forms.
    csrf_secret: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
