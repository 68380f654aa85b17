"""An unbound form's markup, written once and kept (``greenfactory.portal.kept``) rather than written by crispy on
every view of a form page: a form as it opens — its saved values, no errors — is the same markup until what it
shows changes. Where crispy writes the form's CSRF token, the kept markup holds ``TOKEN_PLACE``; each view puts its
own token there (``with_token``). A form posted back with errors is written afresh, with what was typed."""

from html import escape

from django.middleware.csrf import get_token
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

TOKEN_PLACE = "csrf-token-of-the-view-7f3e1c"  # noqa: S105  (a marker, replaced by the real token)

_FORM = engines["django"].from_string("{% load portal_fields %}{% portal_crispy form %}")


def unbound_form_html(form) -> str:
    """``{% portal_crispy form %}`` of an unbound form, with ``TOKEN_PLACE`` for its token: markup to keep."""
    return _FORM.render({"form": form, "csrf_token": TOKEN_PLACE})


def with_token(request, html: str):
    """Kept markup with the view's own CSRF token in its place."""
    return mark_safe(html.replace(TOKEN_PLACE, escape(get_token(request))))  # noqa: S308  (markup written by crispy)


def blank_form_html(request, name: str, form_class):
    """A form whose unbound markup depends on the language alone (a refusal's reason box): written once per
    language and process, kept with the reference data (``greenfactory.portal.reference_data``), with the view's
    own token."""
    from greenfactory.portal import reference_data

    html = reference_data(f"blank-form:{name}:{get_language()}", lambda: unbound_form_html(form_class()))
    return with_token(request, html)
