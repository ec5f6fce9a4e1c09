"""Flask extensions, created unbound and initialised by create_app."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints make Alembic migrations reproducible on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Trigram indexes of the word searches exist on PostgreSQL only (migration 3c1f0a9e5b21) and are not declared
# on the models: comparing models and database must neither drop them there nor ask for them on SQLite.
PG_ONLY_INDEX_SUFFIX = "_search_trgm"


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter of what models and database are compared on."""
    return not (type_ == "index" and name is not None and name.endswith(PG_ONLY_INDEX_SUFFIX))


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True, include_object=include_object)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)
