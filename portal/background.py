"""Links in e-mails: built on the public address, also from work done outside a web request (cron, CLI,
demo data)."""

from contextlib import AbstractContextManager, nullcontext

from flask import current_app, has_request_context, request, url_for

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def public_base_url() -> str:
    """The address people reach Maillage at: PUBLIC_BASE_URL when configured; otherwise (development) the
    address the server was really reached at by the current request, so a link works whatever the port."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context() and request.host:
        return request.host_url.rstrip("/")
    return DEFAULT_BASE_URL


def public_url(endpoint: str, **values) -> str:
    """The absolute link to `endpoint` on the public address (from a request or not)."""
    with request_context():
        return public_base_url() + url_for(endpoint, **values, _external=False)


def request_context() -> AbstractContextManager:
    """A request context on the public address when none is active, so that `url_for` works in services
    called from the command line; a no-op inside a real request."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context("/", base_url=public_base_url())
