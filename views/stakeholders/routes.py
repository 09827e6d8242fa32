from flask import abort

from . import bp


@bp.route("/stakeholders/<int:stakeholder_id>")
def show(stakeholder_id: int):
    abort(404)


@bp.route("/accounts/<int:account_id>/stakeholders/new", methods=["GET", "POST"])
def new(account_id: int):
    abort(404)
