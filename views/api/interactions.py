"""Interactions (visits, calls, events, executive meetings) with their next steps.

Team-only interactions are absent from lists and answer 404 by id for anyone outside the account team.
"""
from __future__ import annotations

from flask import url_for
from flask_login import current_user

from kb import policy
from kb.idempotency import idempotent
from kb.db import session
from kb.pagination import paginate
from kb.services import interactions as service
from models import Account, Interaction

from . import bp
from .common import created, load_or_404, not_found, page_body, require
from .query import PAGING
from .registry import operation
from .responses import items_of, ref
from .serializers import serialize_interaction
from .bodies import load_body
from .bodies.records import InteractionChanges, NewInteraction


INTERACTION_LINKS = {"GetInteraction": ("show_interaction", {"interaction_id": "$response.body#/id"}),
                     "UpdateInteraction": ("update_interaction", {"interaction_id": "$response.body#/id"})}


@bp.get("/accounts/<int:account_id>/interactions")
@operation("List an account's interactions (those the caller may see)", query=PAGING,
           response=items_of("Interaction", paged=True), tag="interactions")
def list_interactions(account_id: int):
    account = load_or_404(Account, account_id)
    args = PAGING.load()
    page, per_page = args["page"], args["per_page"]
    stmt = service.visible_interactions_stmt(viewer=current_user, account_id=account.id)
    stmt = stmt.options(*service.interaction_options())
    return page_body(paginate(session, stmt, page, per_page), serialize_interaction)


@bp.post("/accounts/<int:account_id>/interactions")
@operation("Record an interaction", body=NewInteraction, status=201, response=ref("Interaction"),
           tag="interactions", extra={"links": INTERACTION_LINKS})
@idempotent
def create_interaction(account_id: int):
    account = load_or_404(Account, account_id)
    require(policy.may_edit_account(current_user, account))
    data = load_body(NewInteraction)
    interaction = service.create_interaction(account=account, author=current_user, **data)
    location = url_for("api.show_interaction", interaction_id=interaction.id)
    return created(serialize_interaction(interaction), location)


@bp.get("/interactions/<int:interaction_id>")
@operation("Read an interaction", response=ref("Interaction"), tag="interactions")
def show_interaction(interaction_id: int):
    interaction = load_or_404(Interaction, interaction_id, options=tuple(service.interaction_options()))
    if not policy.may_see_interaction(current_user, interaction):
        not_found()
    return serialize_interaction(interaction)


@bp.patch("/interactions/<int:interaction_id>")
@operation("Change an interaction", body=InteractionChanges, partial=True, response=ref("Interaction"),
           tag="interactions")
def update_interaction(interaction_id: int):
    """Change the given fields; `next_steps`, when sent, replaces the list; a stale `version` → 409."""
    interaction = load_or_404(Interaction, interaction_id, options=tuple(service.interaction_options()))
    if not policy.may_see_interaction(current_user, interaction):
        not_found()
    require(policy.may_edit_account(current_user, interaction.account_id))
    data = load_body(InteractionChanges, partial=True, current=serialize_interaction(interaction))
    version = data.pop("version", None)
    service.update_interaction(interaction=interaction, author=current_user, base_version=version,
                               stamp_unchanged=False, **data)
    return serialize_interaction(interaction)
