"""Where a record came from: the import that created it and the key it has in the source spreadsheet."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

if TYPE_CHECKING:
    from .import_run import ImportRun

EXTERNAL_KEY_MAX = 100


class Imported:
    """Records an import may create: `external_key` (the source's id of the row; unique per account for
    stakeholders and interactions, unique for accounts) and the `import_run` that created it."""

    external_key: Mapped[str | None] = mapped_column(String(EXTERNAL_KEY_MAX))

    @declared_attr
    def import_run_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("import_run.id", ondelete="SET NULL"))

    @declared_attr
    def import_run(cls) -> Mapped[ImportRun | None]:
        return relationship("ImportRun", lazy="select")
