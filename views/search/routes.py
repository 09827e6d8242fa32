from flask import abort

from . import bp


@bp.route("/search")
def index():
    abort(404)  # placeholder until this area is built
