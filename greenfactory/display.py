"""What list pages show in each row, computed once per page rather than once per row in the template: a choice's
label from a dictionary built once per language, a time already formatted, a link reversed once for the table, a
filter's options with the chosen one marked, and a long table's rows written into their markup in Python. A long
table pays only for its values then (a ``get_FOO_display`` in a row loop translates every label of the field's
choices each time; ``{% translate %}``, ``{% url %}`` and ``|date`` in a row loop resolve again per row; a 50-row
table with eight template variables a row spends most of its time resolving them).
"""

import functools
import hashlib
import uuid
from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language


@functools.cache
def _labels(source, language: str) -> dict:
    # ``language`` is only the key: the labels are translated into the language active on the first call with it.
    choices = source.choices if isinstance(source, type) else source.flatchoices
    return {value: str(label) for value, label in choices}


def choice_labels(source) -> dict:
    """``{value: label}`` of ``source`` (a ``TextChoices`` class, or a model field with choices) in the active
    language, built once per language and process."""
    return _labels(source, get_language() or "")


def local_minute(moment) -> str:
    """An aware datetime as ``Y-m-d H:i`` in the portal's time zone (the template's ``|date:"Y-m-d H:i"``); ""
    for none."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def local_date(moment) -> str:
    """An aware datetime's date in the portal's time zone (``|date:"Y-m-d"``); "" for none."""
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else ""


def local_date_formatter():
    """``local_date`` for a whole table: the time zone looked up once."""
    zone = timezone.get_current_timezone()
    return lambda moment: moment.astimezone(zone).strftime("%Y-%m-%d") if moment else ""


def local_second(moment) -> str:
    """As ``local_minute``, with seconds (``|date:"Y-m-d H:i:s"``)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def select_options(labels: dict, chosen) -> list[tuple[str, str, bool]]:
    """A filter's ``<option>``s from ``{value: label}``: (value, label, selected)."""
    chosen = "" if chosen is None else str(chosen)
    return [(str(value), label, str(value) == chosen) for value, label in labels.items()]


_UUID_MARKER = uuid.UUID(int=0)
_INT_MARKER = 918273645546372819


def url_with_public_id(viewname):
    """``public_id -> URL`` of a view taking one ``public_id``, reversed once for a whole table (``{% url %}`` per
    row resolves the pattern again each time)."""
    return _url_with(viewname, _UUID_MARKER)


def url_with_pk(viewname):
    """As ``url_with_public_id``, for a view taking one integer ``pk``."""
    return _url_with(viewname, _INT_MARKER)


def _url_with(viewname, marker):
    head, tail = reverse(viewname, args=[marker]).split(str(marker))
    return lambda key: f"{head}{key}{tail}"


def html_rows(row_markup, rows):
    """Each row (a dict) written into ``row_markup`` (``str.format`` fields, every value escaped unless already safe,
    None as nothing): a 50-row table costs one template variable instead of eight a row. The markup lives next to the
    view that uses it, and the template names it in a comment where the rows go."""
    return mark_safe("".join(  # noqa: S308  (every value escaped)
        row_markup.format_map({key: escaped(value) for key, value in row.items()}) for row in rows))


def kept_rows(name: str, rows: list, write):
    """``write(rows)``, a table's rows' markup, kept (``greenfactory.portal.kept``) for rows equal to these in the
    active language, until reference data changes (the names a row shows by key): the same page of a list, viewed
    again, costs a digest of its values instead of writing fifty rows. ``rows`` must be plain values (what
    ``values()`` gives: text, numbers, dates, ids), whose ``repr`` is their content."""
    from greenfactory.portal import REFERENCE_SCOPE, kept

    digest = hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()
    return kept(f"rows:{name}:{get_language()}:{digest}", lambda: write(rows), reads=(REFERENCE_SCOPE,),
                everyone=False)


def escaped(value) -> str:
    """``django.utils.html.conditional_escape`` without its lazy-string wrapper (a thousand values a page); None is
    nothing."""
    if value is None:
        return ""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))
