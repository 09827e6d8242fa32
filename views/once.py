"""Create forms that create once: a token per rendered form, so a double submit makes one record.

A view calls `already_submitted(form)` once the form is valid (a redirect to the first submit's record, or
None to go on) and `remember(form, url)` with the new record's address before redirecting there.
"""
from __future__ import annotations

import secrets

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import HiddenField

from kb import idempotency


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SubmitOnce:
    """Form mixin: a hidden `submit_token`, fresh each time the form is rendered empty (`hidden_tag()`)."""

    submit_token = HiddenField(default=new_token)


def already_submitted(form: SubmitOnce) -> Response | None:
    """The redirect to what this rendered form already created (with a note), else None: go on and create."""
    claim = idempotency.claim_form(user_id=current_user.id, token=form.submit_token.data,
                                   scope=request.endpoint or request.path)
    form.submit_claim = claim  # type: ignore[attr-defined]
    if claim is None or claim.location is None:
        return None
    flash(_("This form had already been sent: here is what it created."), "info")
    return redirect(claim.location)


def remember(form: SubmitOnce, location: str) -> str:
    """Record that this form's token created the record at `location`; returns `location`."""
    idempotency.complete_form(getattr(form, "submit_claim", None), location=location)
    return location
