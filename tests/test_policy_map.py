"""docs/policy.md cites code and tests by path: each one must exist, so the map cannot drift from the code."""

import re
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
POLICY = BASE / "docs" / "policy.md"
# `path/to/file.ext`, `path/to/file.ext::name`, or `::name` (a name in the file cited before it in the same cell).
REFERENCE = re.compile(r"`((?:[\w.-]+/)*[\w.-]+\.(?:py|html|csv|sh|js|css|txt|po)|)(?:::([A-Za-z_]\w*))?`")
DIRECTORY = re.compile(r"`((?:[\w.-]+/)+)`")


def _defines(path: Path, name: str) -> bool:
    """``name`` is a function, class or module-level assignment of the file (tests: a test function)."""
    text = path.read_text(encoding="utf-8")
    return re.search(rf"^\s*(?:async\s+def|def|class)\s+{name}\b|^{name}\s*[:=]", text, re.MULTILINE) is not None


def _references():
    for number, line in enumerate(POLICY.read_text(encoding="utf-8").splitlines(), start=1):
        for cell in line.split("|"):
            current = None
            for match in REFERENCE.finditer(cell):
                path, name = match.group(1), match.group(2)
                if path:
                    current = path
                elif name is None:
                    continue
                yield number, path or current, name


def test_the_policy_map_cites_references():
    references = list(_references())
    assert len(references) > 150
    assert sum(1 for _, path, name in references if path and path.startswith("tests/") and name) > 100


def test_every_file_function_and_test_the_policy_map_cites_exists():
    missing = []
    for number, path, name in _references():
        if path is None:
            missing.append(f"line {number}: ::{name} without a file before it in its cell")
            continue
        target = BASE / path
        if not target.is_file():
            missing.append(f"line {number}: {path}")
        elif name and not _defines(target, name):
            missing.append(f"line {number}: {path}::{name}")
    for number, line in enumerate(POLICY.read_text(encoding="utf-8").splitlines(), start=1):
        missing.extend(f"line {number}: {d}" for d in DIRECTORY.findall(line) if not (BASE / d).is_dir())
    assert missing == [], "docs/policy.md cites what does not exist:\n" + "\n".join(missing)
