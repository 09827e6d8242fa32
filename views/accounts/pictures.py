"""The decision chain as a picture: `/accounts/<id>/decision-chain.svg`, and the same picture for the account
page, the brief (compact) and the onboarding view (issue 8 §4).

Same access as the account page (every signed-in reader; 404 for an unknown account). The picture is built
from the bounded `key_people` list (the people who matter most, at most ACCOUNT_PAGE_LIMIT), so its work does
not grow with the account; it never shows private notes.
"""
from __future__ import annotations

from flask import Response, current_app, url_for
from markupsafe import Markup

from kb.services import bounded
from kb.services.coverage import who_decides
from kb.services.relationship_risk import Risk
from kb.svg import decision_chain
from models import Account, Stakeholder

from views.risk import page_gone_owners, page_risks

from . import bp
from .routes import load_account

#: Boxes drawn at most (full picture, compact picture); the rest are counted as "and N more".
MAX_BOXES, MAX_BOXES_COMPACT = 40, 12


def chain_picture(account: Account, people: list[Stakeholder], total: int, *, compact: bool = False,
                  page: bool = True, risks: dict[int, list[Risk]] | None = None) -> Markup:
    """The decision-chain SVG of `account` from `people` (key_people order, owners loaded) of `total`.

    `page`: for an HTML page (a wide and a phone layout, CSS shows one), else the wide <svg> alone.
    `risks`: the page's kb.services.relationship_risk result for these people (computed when not given).
    The compact picture (the brief's) shows only who decides: decision-makers, then high-influence people,
    side by side.
    """
    if compact:
        people = who_decides(people)
        total = len(people)
    if risks is None:
        risks = page_risks(people)
    reasons = {sid: [r.message for r in found] for sid, found in risks.items() if found}
    max_boxes = MAX_BOXES_COMPACT if compact else MAX_BOXES
    gone = page_gone_owners(people)  # the risk rule's "left": inactive or off the account team
    link = lambda sid: url_for("stakeholders.show", stakeholder_id=sid)  # noqa: E731
    prefix = f"dc{account.id}{'c' if compact else ''}"
    wide = decision_chain.render(people=people, total=total, risk_reasons=reasons, compact=compact,
                                 max_boxes=max_boxes, href=link, id_prefix=prefix, gone_owners=gone)
    if not page:
        return wide
    # phones get a narrower layout (two boxes a row) instead of the wide one scaled down to unreadable text;
    # CSS shows one of the two (static/css/pictures.css), so this needs no script
    narrow = decision_chain.render(people=people, total=total, risk_reasons=reasons, compact=compact,
                                   max_boxes=max_boxes, href=link, id_prefix=prefix + "n",
                                   size=decision_chain.NARROW, gone_owners=gone)
    return Markup(f'<div class="chain-wide">{wide}</div><div class="chain-narrow">{narrow}</div>')


@bp.route("/accounts/<int:account_id>/decision-chain.svg")
def decision_chain_svg(account_id: int):
    account = load_account(account_id)
    people, total = bounded.key_people_and_total(account_id=account.id,
                                                 limit=current_app.config["ACCOUNT_PAGE_LIMIT"])
    svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + str(chain_picture(account, people, total, page=False))
    return Response(svg, mimetype="image/svg+xml")
