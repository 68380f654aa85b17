"""Chinese by default whatever the browser says; English when the user switches."""

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_interface_is_chinese_even_for_an_english_browser(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans"' in response.content.decode()
    assert "登录" in response.content.decode()


def test_switching_to_english_translates_the_interface(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    response = client.get(reverse("accounts:login"))
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in html
    assert "Log in" in html
    assert "用户名" not in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "用户名" in client.get(reverse("accounts:login")).content.decode()


# The English catalogue stays whole: every msgid in the code is in it, translated, not fuzzy, with its placeholders.

def _catalogue_path(settings):
    return Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _active(catalogue):
    return [entry for entry in catalogue if not entry.obsolete]


def test_the_english_catalogue_has_no_untranslated_or_fuzzy_entry(settings):
    catalogue = polib.pofile(str(_catalogue_path(settings)))
    untranslated = [entry.msgid for entry in _active(catalogue)
                    if not (entry.msgstr or all(entry.msgstr_plural.values()) and entry.msgstr_plural)]
    fuzzy = [entry.msgid for entry in _active(catalogue) if "fuzzy" in entry.flags]
    assert (untranslated, fuzzy) == ([], []), (
        f"locale/en: untranslated {untranslated} (translate them), fuzzy {fuzzy} (check each, then drop the flag)")


def test_the_english_catalogue_keeps_every_placeholder(settings):
    """msgfmt --check-format: %(name)s, %d and {} in each translation are those of its msgid (compilemessages
    would otherwise build a catalogue whose messages raise KeyError when formatted)."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext is not installed (the set-up installs it)"
    result = subprocess.run(  # noqa: S603  (gettext's msgfmt on our own catalogue)
        [msgfmt, "--check-format", "-o", os.devnull, str(_catalogue_path(settings))],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def _makemessages_ignore(settings) -> list[str]:
    """The --ignore options of `make messages` (one list, in the Makefile)."""
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text(encoding="utf-8")
    line = next(line for line in makefile.splitlines() if line.startswith("MESSAGES_IGNORE"))
    return [option.removeprefix("--ignore=") for option in line.split(":=", 1)[1].split()]


def test_every_msgid_in_the_code_is_in_the_english_catalogue(settings, tmp_path, monkeypatch):
    """makemessages as `make messages` runs it, into a temporary locale directory: each msgid it extracts from the
    code and templates must be an active entry of locale/en (a string added without regenerating the catalogue
    would show in Chinese to an English reader).

    makemessages writes beside the nearest locale/ directory above a file, so it runs in a copy of the project made
    of links to everything but locale/ (the real catalogue is never touched)."""
    base = Path(settings.BASE_DIR)
    tree = tmp_path / "tree"
    tree.mkdir()
    for item in base.iterdir():
        if item.name != "locale":
            (tree / item.name).symlink_to(item)
    monkeypatch.chdir(tree)
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    call_command("makemessages", locale=["en"], ignore_patterns=_makemessages_ignore(settings), symlinks=True,
                 verbosity=0)
    extracted = polib.pofile(str(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    catalogue = polib.pofile(str(_catalogue_path(settings)))
    known = {(entry.msgctxt, entry.msgid, entry.msgid_plural or None) for entry in _active(catalogue)}
    missing = sorted(
        f"{entry.msgid} ({entry.occurrences[0][0]}:{entry.occurrences[0][1]})"
        for entry in _active(extracted)
        if (entry.msgctxt, entry.msgid, entry.msgid_plural or None) not in known
    )
    assert len(_active(extracted)) > 500  # the extraction itself worked
    assert not missing, f"msgids in the code but not in locale/en (run `make messages`, then translate): {missing}"


def test_english_phrases_built_from_parts_read_as_english():
    """Admin permission labels and lists of items are whole phrases in the catalogue, not Chinese concatenation."""
    from django.contrib.auth.models import Permission
    from django.utils import translation

    from accounts.admin import permission_label
    from greenfactory.text import join_list

    permission = Permission.objects.get(codename="add_user")
    with translation.override("en"):
        assert permission_label(permission).endswith("| Can add User")
        assert join_list([1, 3]) == "1, 3"
    with translation.override("zh-hans"):
        assert permission_label(permission).endswith("| 可以添加用户")
        assert join_list([1, 3]) == "1、3"
