"""Forms shared by several blueprints."""
from __future__ import annotations

from kb.inputs import FlaskForm


class ArchiveForm(FlaskForm):
    """Only the CSRF token: archive and restore are plain POST buttons."""
