"""`/healthz`: an unauthenticated JSON health check for load balancers and monitoring."""
from flask import Blueprint

from views import csrf

bp = Blueprint("health", __name__)
csrf.exempt(bp)  # a load balancer's probe carries no CSRF token

from . import routes  # noqa: E402,F401
