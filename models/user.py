"""People of ours who sign in, and their API tokens."""
from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned, enum_column, utcnow
from .enums import UserRole


def new_session_token() -> str:
    """A fresh random value for `User.session_token`."""
    return secrets.token_urlsafe(24)


class User(Versioned, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole, "user_role"), default=UserRole.MEMBER)
    locale: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Part of every session and "keep me signed in" cookie (see `get_id`); a new value ends them all.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token, server_default="")

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                  foreign_keys="ApiToken.user_id")

    @property
    def is_admin(self) -> bool:
        """An active admin: a deactivated admin has no admin rights (kb.policy.is_admin builds on this)."""
        return self.role == UserRole.ADMIN and bool(self.active)

    # The user-session protocol (Flask-Login's), spelled out so models need no Flask import.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session and the remember-me cookie: "<id>:<session token>"."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Make every session and remember-me cookie of this user invalid (sign-out everywhere)."""
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role.value if self.role else None}>"


class TokenScope(str, enum.Enum):
    """What an API token may do: `read` (GET only, e.g. a BI tool) or `write` (whatever its user may)."""

    READ = "read"
    WRITE = "write"


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 digest is stored.

    Refused once `revoked_at` is set or `expires_at` (None = never) has passed; a `read` scope refuses
    every write whatever its user's role.
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, "token_scope"),
                                              default=TokenScope.WRITE, server_default=TokenScope.WRITE.value)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(back_populates="tokens", foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def is_expired(self, now: datetime) -> bool:
        """Whether the token's expiry (a UTC instant) is at or before `now` (timezone-aware)."""
        return self.expires_at is not None and self.expires_at <= now

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} user={self.user_id}>"
