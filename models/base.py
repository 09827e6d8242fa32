"""Declarative base, UTC timestamps and the audit columns every record carries."""
from __future__ import annotations

import enum
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import DateTime, Enum, ForeignKey, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def enum_column(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A portable string enum stored by value, with a CHECK constraint."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime}


def _created_at_or_now(context: Any) -> datetime:
    """The default `updated_at` of a new row: its `created_at`, so a new record was last changed when made
    (two separate `utcnow()` calls would differ by microseconds)."""
    created = context.get_current_parameters().get("created_at")
    return created if created is not None else utcnow()


class Audited:
    """Who created a record and who last changed it, and when. A new record's `updated_at` equals its
    `created_at` (`touch` stamps both with one instant; without it the defaults agree too)."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=_created_at_or_now, onupdate=utcnow)

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    @declared_attr
    def updated_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    def touch(self, user_id: int | None) -> None:
        """Record `user_id` as the last editor (and creator, if new); a new record's `created_at` and
        `updated_at` are the same instant."""
        now = utcnow()
        if getattr(self, "id", None) is None:
            if self.created_by_id is None:
                self.created_by_id = user_id
            if self.created_at is None:
                self.created_at = now
        self.updated_by_id = user_id
        self.updated_at = now


class Versioned:
    """Records several people edit: `version` goes up by one at every save, so a stale save is detected.

    Services take a record for a save with `kb.services.versioning.claim_version` (a conditional UPDATE on
    this column); forms and the API carry the version they read.
    """

    version: Mapped[int] = mapped_column(default=1, server_default="1")


class Archivable:
    """Records that are archived and restored, never deleted."""

    archived_at: Mapped[datetime | None]

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def set_archived(self, archived: bool, user_id: int | None) -> bool:
        """Archive (or restore) the record as `user_id`; returns False if it already was."""
        if archived == self.archived:
            return False
        self.archived_at = utcnow() if archived else None
        self.touch(user_id)  # type: ignore[attr-defined]  # Archivable records are Audited
        return True
