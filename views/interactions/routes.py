from flask import abort

from . import bp


@bp.route("/interactions/<int:interaction_id>")
def show(interaction_id: int):
    abort(404)


@bp.route("/next-steps/<int:step_id>/toggle", methods=["POST"])
def toggle_step(step_id: int):
    abort(404)
