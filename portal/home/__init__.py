"""Home pages per role, the public landing page and the health check."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from portal.home import views  # noqa: E402,F401
