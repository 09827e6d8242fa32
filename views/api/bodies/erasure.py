"""The body of POST /stakeholders/<id>/erase: the client confirms the erasure, as the page's checkbox does.

Erasing personal data cannot be undone, so a request with no body, a body that is not JSON, or one that
does not say `{"confirm": true}` erases nothing (400 / 422): a fuzzer or a stray POST cannot erase anyone.
"""
from typing import Annotated

from flask_babel import gettext as _
from pydantic import AfterValidator, WithJsonSchema

from .base import BodyModel


def _confirmed(value: bool) -> bool:
    """Only `true` confirms; `false` → the page's message (value_error, see errors.message)."""
    if value is not True:
        raise ValueError(_("Tick the box to confirm the erasure."))
    return value


#: `true` only: the client confirms that the name, contact details and private notes are erased for good.
Confirmation = Annotated[bool, AfterValidator(_confirmed),
                         WithJsonSchema({"type": "boolean", "const": True,
                                         "description": "true: the personal data is erased for good."})]


class ErasureConfirmation(BodyModel):
    """POST /stakeholders/<id>/erase: `{"confirm": true}` (required)."""

    confirm: Confirmation
