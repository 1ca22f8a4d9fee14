"""SQL for users, invitations and sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.models import Invitation, User, UserSession


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_email(self, email: str) -> User | None:
        return (await self.session.scalars(select(User).where(User.email == email))).first()

    async def by_id(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def listed(self, municipality: str | None) -> Sequence[User]:
        query = select(User).order_by(User.role, User.email)
        if municipality is not None:
            query = query.where(User.municipality == municipality)
        return list(await self.session.scalars(query))

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user


class SessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: UserSession) -> None:
        self.session.add(row)
        await self.session.flush()

    async def live_with_user(self, token_hash: bytes, now: datetime) -> tuple[UserSession, User] | None:
        row = (
            await self.session.execute(
                select(UserSession, User)
                .join(User, User.id == UserSession.user_id)
                .where(UserSession.token_hash == token_hash, UserSession.expires_at > now, User.active.is_(True))
            )
        ).first()
        return None if row is None else (row[0], row[1])

    async def delete(self, token_hash: bytes) -> None:
        await self.session.execute(delete(UserSession).where(UserSession.token_hash == token_hash))

    async def delete_expired(self, now: datetime) -> None:
        await self.session.execute(delete(UserSession).where(UserSession.expires_at <= now))

    async def delete_for_user(self, user_id: int, *, keep: bytes | None = None) -> None:
        """End the user's sessions, except the one whose hash is `keep`."""
        query = delete(UserSession).where(UserSession.user_id == user_id)
        if keep is not None:
            query = query.where(UserSession.token_hash != keep)
        await self.session.execute(query)


class InvitationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, invitation: Invitation) -> Invitation:
        self.session.add(invitation)
        await self.session.flush()
        return invitation

    async def by_token_hash(self, token_hash: bytes, *, for_update: bool = False) -> Invitation | None:
        query = select(Invitation).where(Invitation.token_hash == token_hash)
        if for_update:
            query = query.with_for_update()
        return (await self.session.scalars(query)).first()

    async def mark_used(self, invitation_id: int, now: datetime) -> bool:
        """Mark unused invitation used; False if it was used meanwhile."""
        result = await self.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation_id, Invitation.used_at.is_(None))
            .values(used_at=now)
            .returning(Invitation.id)
        )
        return result.first() is not None
