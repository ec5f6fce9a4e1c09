"""No dead code in the application (issue 17 §5): vulture finds nothing unused in portal, crm and charte.

Vulture reads Python only, so what the frameworks use by name counts as used here:
- every identifier of the Jinja templates (templates/: a property or a column read by a page only);
- the columns and relationships of the models (the schema and the migrations use them), the fields of
  the forms (the posted form fills them) and of the API's schemas (the JSON answers), the settings;
- a function or method under a decorator that registers it (a view, an access rule, a reminder job, a
  demo seeder, a CLI command, an event listener...): every decorator but the plain Python ones below;
- the names in tests/vulture_whitelist.py (called by a library: Flask-Login, WTForms, Jinja...).

A name used only by tests is dead: remove it, or say in the whitelist who calls it.
"""

import ast
import keyword
import re
from pathlib import Path

import vulture
from pydantic import BaseModel
from wtforms import Form
from wtforms.fields.core import UnboundField

from portal.config import CONFIGS
from portal.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "crm", "charte")
WHITELIST = ROOT / "tests" / "vulture_whitelist.py"
MIN_CONFIDENCE = 60
# decorators that only wrap: what they decorate still needs a caller
PLAIN_DECORATORS = {"property", "cached_property", "classmethod", "staticmethod", "dataclass", "wraps", "cache",
                    "lru_cache", "contextmanager", "setter", "total_ordering"}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _decorator_name(node: ast.expr) -> str:
    node = node.func if isinstance(node, ast.Call) else node
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _registered(paths: list[Path]) -> set[tuple[str, int]]:
    """(file, line) of every function defined under a registering decorator."""
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and any(
                    _decorator_name(d) not in PLAIN_DECORATORS for d in node.decorator_list):
                found.update((str(path), line) for line in range(node.decorator_list[0].lineno, node.lineno + 1))
    return found


def _template_names() -> set[str]:
    names = set()
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".txt", ".xml", ".js"):
            names.update(_IDENTIFIER.findall(path.read_text(encoding="utf-8")))
    return names


def _subclasses(cls) -> list[type]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


def _schema_and_form_names(app) -> set[str]:
    """Model attributes, form fields, API schema fields (pydantic) and the settings Flask reads."""
    names = {name for config in CONFIGS.values() for name in dir(config) if name.isupper()}
    with app.app_context():
        for mapper in db.Model.registry.mappers:
            names.update(mapper.attrs.keys())
    for form in _subclasses(Form):
        names.update(name for name, value in vars(form).items() if isinstance(value, UnboundField))
    for schema in _subclasses(BaseModel):
        names.update(schema.model_fields, ["model_config"])
    return names


def unused_code(app) -> list[str]:
    """Vulture's findings, framework uses excepted, as `path:line: message` lines."""
    paths = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))
    scanner = vulture.Vulture()
    scanner.scavenge([str(p) for p in paths] + [str(WHITELIST)])
    used = _template_names() | _schema_and_form_names(app)
    scanner.scan("\n".join(f"_.{name}" for name in sorted(used) if not keyword.iskeyword(name)),
                 filename="<templates, models and forms>")
    registered = _registered(paths)
    return [f"{Path(item.filename).relative_to(ROOT)}:{item.first_lineno}: {item.message}"
            for item in scanner.get_unused_code(min_confidence=MIN_CONFIDENCE)
            if (str(item.filename), item.first_lineno) not in registered]


def test_no_dead_code(app):
    assert unused_code(app) == []
