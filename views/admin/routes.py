from flask import abort

from . import bp


@bp.route("/admin/users")
def users():
    abort(404)  # placeholder until this area is built
