"""How accounts is laid out, so that later apps can lean on it: no module over ~500 lines, imports at the top of a
module (only AppConfig.ready and heavy optional libraries import inside a function: a hidden import hides the
dependency graph, and hid the circle reminders → tasks → reminders), and greenfactory knows nothing of accounts by
name (its statuses and tables reach the shell through registries)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 520
# Imported inside a function on purpose: heavy optional libraries.
HEAVY = {"weasyprint", "openpyxl", "pypdf"}
# The portal's own wrapper of a heavy library, imported where a PDF is rendered (it loads WeasyPrint).
HEAVY_MODULES = {"greenfactory.pdf"}
# Every app and the shell: the house rule holds everywhere, not only in accounts.
PORTAL_PACKAGES = ("accounts", "applications", "evaluation", "supervision", "greenfactory")


def _modules(*folders):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_of_the_portal_is_over_about_500_lines():
    long = {str(p.relative_to(ROOT)): n for p in _modules(*PORTAL_PACKAGES)
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def _function_imports(path):
    tree = ast.parse(path.read_text())
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if function.name == "ready" or function.name == "get_app_config":
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                if not any((name or "").split(".")[0] in HEAVY or name in HEAVY_MODULES for name in names):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {function.name}")
    return found


def test_accounts_and_applications_import_at_the_top_of_their_modules():
    assert [hit for path in _modules("accounts", "applications") for hit in _function_imports(path)] == []


def test_greenfactory_names_no_status_or_table_of_accounts():
    # A model label of accounts, or a comparison with one of its organisation states.
    literals = re.compile(r"""["']accounts\.\w+["']|[=!]=\s*["'](?:pending|active|refused)["']|"status", ["']\w+["']""")
    found = {}
    for path in _modules("greenfactory"):
        if path.name in ("settings.py", "urls.py"):  # where an installation names its apps and their URLs
            continue
        hits = literals.findall(path.read_text())
        if hits:
            found[str(path.relative_to(ROOT))] = hits
    assert found == {}


def test_the_reminders_and_the_beat_task_import_without_a_circle():
    reminders = (ROOT / "accounts" / "reminders.py").read_text()
    tasks = (ROOT / "accounts" / "tasks.py").read_text()
    assert "accounts.tasks" not in reminders and "accounts.services" not in reminders
    assert "accounts.reminders" not in tasks and "accounts.services" not in tasks
