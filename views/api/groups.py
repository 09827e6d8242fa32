"""Customer groups and their triangle seats: everyone reads; admins create groups and rotate seats."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from kb import policy
from kb.idempotency import idempotent
from kb.db import session
from kb.services import groups as service
from models import CustomerGroup, User

from . import bp
from .registry import operation
from .responses import items_of, ref
from .common import created, load_or_404, require
from .serializers import serialize_group, serialize_seat
from .bodies import InvalidInput, load_body
from .bodies.accounts import GroupChanges, GroupSeat, NewGroup


@bp.get("/customer-groups")
@operation("List customer groups", response=items_of("CustomerGroup"), tag="customer groups")
def list_groups():
    return {"items": [serialize_group(g) for g in service.list_groups()]}


@bp.post("/customer-groups")
@operation("Create a customer group (admins)", body=NewGroup, status=201, response=ref("CustomerGroup"),
           tag="customer groups")
@idempotent
def create_group():
    require(policy.may_manage(current_user))
    data = load_body(NewGroup)
    group = service.create_group(author=current_user, **data)
    return created(serialize_group(group), url_for("api.show_group", group_id=group.id))


@bp.get("/customer-groups/<int:group_id>")
@operation("Read a customer group and its triangle seats", response=ref("CustomerGroup"),
           tag="customer groups")
def show_group(group_id: int):
    group = load_or_404(CustomerGroup, group_id, options=(selectinload(CustomerGroup.seats),))
    return serialize_group(group)


@bp.patch("/customer-groups/<int:group_id>")
@operation("Change a customer group (admins)", body=GroupChanges, partial=True,
           response=ref("CustomerGroup"), tag="customer groups")
def update_group(group_id: int):
    """Change a group's names or description (admins); a stale `version` → 409 with the stored group."""
    require(policy.may_manage(current_user))
    group = load_or_404(CustomerGroup, group_id, options=(selectinload(CustomerGroup.seats),))
    data = load_body(GroupChanges, partial=True, current=serialize_group(group))
    service.update_group(group=group, author=current_user, base_version=data.pop("version", None), **data)
    return serialize_group(group)


@bp.post("/customer-groups/<int:group_id>/seats")
@operation("Seat a person in the group's iron triangle (admins)", body=GroupSeat, status=201,
           response=ref("TriangleSeat"), tag="customer groups")
@idempotent
def rotate_seat(group_id: int):
    group = load_or_404(CustomerGroup, group_id)
    require(policy.may_manage(current_user))
    data = load_body(GroupSeat)
    user = session.get(User, data.pop("user_id"))
    if user is None:
        raise InvalidInput({"user_id": _("No user with this id.")})
    seat = service.rotate_seat(group=group, author=current_user, user=user, **data)
    return created(serialize_seat(seat), url_for("api.show_group", group_id=group.id))
