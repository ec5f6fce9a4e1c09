# ruff: noqa: B018 - a vulture whitelist is a list of bare attribute uses
"""Names that a library calls or reads, for tests/test_dead_code.py (vulture reads this file as code that
uses them). Say who uses each; a name used only by tests does not belong here: remove the code instead."""

_ = None

# Flask: the WSGI entry point (wsgi.py, gunicorn) and settings of the app and its Jinja environment
_.create_app
_.request_class
_.trim_blocks
_.lstrip_blocks
_.mimetype  # a Response's content type, set by the API's OpenAPI document
# Flask-Login reads these on the login manager and the user
_.login_view
_.login_message
_.login_message_category
_.get_id
_.is_active
# SQLAlchemy: the SQLite connection's isolation level (set to None: SQLAlchemy runs BEGIN itself) and the
# compiled constructs' cache flag
_.isolation_level
_.inherit_cache
# Alembic calls include_object(obj, name, type_, reflected, compare_to)
_.reflected
_.compare_to
# WTForms: inline validators validate_<field>, the form's Meta (locales), a field's flags, the widgets
# of a multiple-choice field
_.validate_password_confirm
_.validate_new_password_confirm
_.validate_company_id
_.validate_partner_id
_.validate_reason
_.validate_confirm
_.Meta
_.locales
_.field_flags
_.option_widget
# apispec's pydantic plugin hooks (portal/api/openapi.py)
_.field_title_should_be_set
_.default_schema
# Flask-SQLAlchemy's Pagination calls _query_count (portal/pagination.py overrides it)
_._query_count
# expat: the xlsx guard's parser handlers (portal/xlsx_guard.py)
_.StartElementHandler
_.StartDoctypeDeclHandler
_.EntityDeclHandler
# openpyxl: cell and chart styles, assigned and read by openpyxl when it writes the workbook
_.font
_.number_format
_.alignment
_.majorGridlines
_.height
# crm/reporting/queries.py Figure: the previous period's part and whole of a rate, filled positionally
# and compared by tests/crm/reporting/test_fast_property.py (the indicators work of issue 19)
_.previous_part
_.previous_whole
