from flask import abort

from . import bp


@bp.route("/accounts/<int:account_id>/plans")
def index(account_id: int):
    abort(404)


@bp.route("/accounts/<int:account_id>/plans/new", methods=["GET", "POST"])
def new(account_id: int):
    abort(404)


@bp.route("/accounts/<int:account_id>/plans/<period>")
def show(account_id: int, period: str):
    abort(404)


@bp.route("/accounts/<int:account_id>/plans/<period>/edit", methods=["GET", "POST"])
def edit(account_id: int, period: str):
    abort(404)


@bp.route("/accounts/<int:account_id>/plans/<period>/history")
def history(account_id: int, period: str):
    abort(404)
