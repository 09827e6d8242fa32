"""Import runs: who imported which file of which kind, when, and what it did (confirmed imports only)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .account import Account
from .base import Base, utcnow
from .interaction import Interaction
from .stakeholder import Stakeholder
from .user import User


class ImportRun(Base):
    """One confirmed import of a spreadsheet (dry runs write nothing and are not recorded)."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    file_name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))  # accounts | stakeholders | interactions
    rows: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)

    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ImportRun {self.id} {self.kind} {self.file_name!r}>"


# The external key identifies a row of the source: once per instance for accounts, once per account for
# stakeholders and interactions (NULLs, i.e. records typed in the app, never collide).
Index("uq_account_external_key", Account.external_key, unique=True)
Index("uq_stakeholder_account_external_key", Stakeholder.account_id, Stakeholder.external_key, unique=True)
Index("uq_interaction_account_external_key", Interaction.account_id, Interaction.external_key, unique=True)
