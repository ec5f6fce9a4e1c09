"""Jinja filters and globals: French dates and numbers, navigation, the organisation's name."""

from urllib.parse import urlencode

from flask import Flask, request
from flask_login import current_user

from portal import navigation
from portal.audit.labels import action_label, object_label
from portal.background import public_url
from portal.text import date_fr, date_long_fr, datetime_fr, number_fr


def url_with(**changes) -> str:
    """The current URL with some query arguments changed (None removes one): keeps filters in links."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    query = urlencode(args, doseq=True)
    return request.path + ("?" + query if query else "")


def yes_no(value) -> str:
    return "Oui" if value else "Non"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date_fr"] = date_fr
    app.jinja_env.filters["date_long_fr"] = date_long_fr
    app.jinja_env.filters["datetime_fr"] = datetime_fr
    app.jinja_env.filters["number_fr"] = number_fr
    app.jinja_env.filters["yes_no"] = yes_no
    app.jinja_env.filters["audit_action"] = action_label
    app.jinja_env.filters["audit_object"] = object_label
    app.jinja_env.globals["url_with"] = url_with
    # a page of the shell links to a capability's page only when the app is built with it
    app.jinja_env.globals["public_url"] = public_url  # links in e-mails: on the public address
    app.jinja_env.globals["has_endpoint"] = lambda endpoint: endpoint in app.view_functions
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals():
        return {
            "organisation_name": app.config["ORGANISATION_NAME"],
            "nav_items": navigation.items_for(current_user),
        }
