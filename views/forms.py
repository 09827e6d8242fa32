"""Forms shared by several blueprints."""
from __future__ import annotations

from flask_wtf import FlaskForm


class ArchiveForm(FlaskForm):
    """Only the CSRF token: archive and restore are plain POST buttons."""
