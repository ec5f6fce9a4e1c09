"""The shape of the code (docs/architecture.md): imports go one way, each module stays small, an import hidden
in a function says why."""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "crm", "charte")
MAX_LINES = 400


def _modules():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def _lint_imports(config: Path) -> subprocess.CompletedProcess:
    """import-linter on the real packages, with the contracts of `config`."""
    return subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                           "lint_imports_command()", "--config", str(config), "--no-cache"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_import_contracts_are_kept():
    result = _lint_imports(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_layers_contract_catches_a_lower_capability_importing_a_higher_one(tmp_path):
    """The same contract with two layers swapped: the offers do import the employers, so it must break."""
    config = tmp_path / "importlinter.toml"
    config.write_text(textwrap.dedent("""
        [tool.importlinter]
        root_packages = ["portal", "crm", "charte"]

        [[tool.importlinter.contracts]]
        name = "upside down"
        type = "layers"
        layers = ["crm.employers", "crm.offers"]
    """))
    result = _lint_imports(config)
    assert result.returncode == 1
    assert "crm.employers is not allowed to import crm.offers" not in result.stdout
    assert "crm.offers is not allowed to import crm.employers" in result.stdout


def test_no_module_is_over_400_lines():
    sizes = {str(p.relative_to(ROOT)): p.read_text().count("\n") for p in _modules()}
    assert {path: n for path, n in sizes.items() if n > MAX_LINES} == {}


def _silent_imports_in_functions(source: str) -> list[str]:
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Import | ast.ImportFrom):
                line, above = lines[inner.lineno - 1], lines[inner.lineno - 2].strip()
                if "#" not in line and not above.startswith("#"):
                    found.append(f"l.{inner.lineno}: {line.strip()}")
    return found


def test_the_silent_import_finder_finds_one():
    source = "def f():\n    import json\n    return json\n\n\ndef g():\n    # lazy: heavy\n    import csv\n"
    assert _silent_imports_in_functions(source) == ["l.2: import json"]


def test_an_import_inside_a_function_says_why():
    """An import inside a function hides a cycle or a cost: a comment on its line or just above says which."""
    silent = {str(p.relative_to(ROOT)): _silent_imports_in_functions(p.read_text()) for p in _modules()}
    assert {path: found for path, found in silent.items() if found} == {}
