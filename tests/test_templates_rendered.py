"""Every template is rendered by at least one test (STYLE.md, Tests): a template no test renders can break silently —
a typo in a tag, a variable renamed in the view. The check runs at the end of a run of the whole suite; a run of a
part of it skips it."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import RENDERED_TEMPLATES, TEMPLATE_CHECK_KEY

# Templates no test renders, each with the reason (name: why). Empty today: every template is rendered by some test.
# A template belongs here only when rendering it in a test would prove nothing the tests do not already prove.
NOT_RENDERED: dict[str, str] = {}


def template_files() -> set[str]:
    """Every template of the project, by the name Django finds it under (the project's and each app's)."""
    roots = [Path(directory) for engine in settings.TEMPLATES for directory in engine["DIRS"]]
    roots += [path for path in Path(settings.BASE_DIR).glob("*/templates") if path.is_dir()]
    names = set()
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                names.add(path.relative_to(root).as_posix())
    return names


def test_every_template_is_rendered_by_some_test(request):
    if not request.config.stash.get(TEMPLATE_CHECK_KEY, False):
        pytest.skip("only a run of the whole suite renders every template")
    files = template_files()
    assert set(NOT_RENDERED) <= files, f"listed but gone: {sorted(set(NOT_RENDERED) - files)}"
    missing = files - RENDERED_TEMPLATES - set(NOT_RENDERED)
    assert not missing, f"templates no test renders (render one in a test, or list it with a reason): {sorted(missing)}"
    needless = set(NOT_RENDERED) & RENDERED_TEMPLATES
    assert not needless, f"listed as not rendered, but a test renders them: {sorted(needless)}"


def test_the_template_list_finds_the_project_and_app_templates():
    files = template_files()
    assert {"base.html", "accounts/login.html", "applications/intake/intake_form.html", "pdf/intake_form.html"} <= files


def test_a_rendered_template_and_what_it_includes_are_noted():
    from django.template import Context, Template

    Template('{% include "pdf/_yes_no.html" with value=True %}').render(Context())
    assert "pdf/_yes_no.html" in RENDERED_TEMPLATES


def test_no_template_comment_spans_lines():
    """``{# … #}`` ends at the end of its line: one that goes on shows its text on the page (``{% comment %}`` spans
    lines)."""
    roots = [Path(directory) for engine in settings.TEMPLATES for directory in engine["DIRS"]]
    roots += [path for path in Path(settings.BASE_DIR).glob("*/templates") if path.is_dir()]
    broken = [f"{path}:{number}" for root in roots for path in root.rglob("*.html")
              for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
              if "{#" in line and "#}" not in line.split("{#", 1)[1]]
    assert broken == []
