"""Work done outside a web request (cron, CLI, demo data) still builds absolute links in e-mails."""

from contextlib import AbstractContextManager, nullcontext

from flask import current_app, has_request_context


def request_context() -> AbstractContextManager:
    """A request context on PUBLIC_BASE_URL when none is active, so that `url_for` works in services
    called from the command line; a no-op inside a real request."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context("/", base_url=current_app.config["PUBLIC_BASE_URL"])
