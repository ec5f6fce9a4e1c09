"""Models and migrations agree: the session database was built by `flask db upgrade` alone."""

import os
import tempfile

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.extensions import db, include_object


def _diff(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
    return compare_metadata(context, db.metadata)


def test_autogenerate_finds_nothing_to_change(app):
    with db.engine.connect() as connection:
        assert _diff(connection) == []


def test_upgrade_and_downgrade_on_an_empty_sqlite_database(app):
    path = os.path.join(tempfile.mkdtemp(), "empty.db")
    other = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite:///" + path})
    with other.app_context():
        upgrade()
        with db.engine.connect() as connection:
            assert _diff(connection) == []
            tables = set(db.inspect(connection).get_table_names())
        assert {"user_account", "company", "commune", "audit_event", "outbox_message"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(db.inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
