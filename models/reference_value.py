"""Managed lists (industry, region): the values accounts use, each with its label in English.

The stored value is the Chinese name (what accounts keep in `industry` / `region`); `label_en` is what the
English interface shows. Values are never deleted, only deactivated, so old accounts keep their label.
"""
from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Versioned

#: The lists that are managed; the key is also the Account column the value goes into.
REFERENCE_KINDS = ("industry", "region")


class ReferenceValue(Versioned, Base):
    __tablename__ = "reference_value"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_reference_value_kind_value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(50))
    label_en: Mapped[str] = mapped_column(String(50), default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
