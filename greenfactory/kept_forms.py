"""Markup written once and kept (``greenfactory.portal.kept``) rather than written on every view:

- an unbound form's markup: a form as it opens — its saved values, no errors — is the same markup until what it
  shows changes. Where crispy writes the form's CSRF token, the kept markup holds ``TOKEN_PLACE``; each view puts its
  own token there (``with_token``). A form posted back with errors is written afresh, with what was typed;
- a page's body (``page_body``): a case page read many times between two changes, kept per user, language and day,
  its token's place marked with a random marker nobody can type.
"""

import secrets
from html import escape

from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# The marker nobody can type: derived from the secret key, so that every process (the kept markup is shared through
# the cache) writes and finds the same one, while no user can put it in a saved value for it to be replaced.
TOKEN_PLACE = "csrf-" + salted_hmac("greenfactory.kept_forms.TOKEN_PLACE", "token place").hexdigest()[:32]

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


def page_body(request, key: str, template: str, context, *, fresh=False):
    """A page's body as markup: written from ``template`` with ``context()`` and kept (``greenfactory.portal.kept``)
    per user, language and day, until a posted form or a transition anywhere moves the generation it is kept under
    (what these pages show changes only so); the view's own CSRF token goes in its place. ``fresh``: a form shown
    again with what was typed and its messages, written now."""
    if fresh:
        return mark_safe(render_to_string(template, context(), request=request))  # noqa: S308  (a template)
    return kept_markup(request, key, lambda marker: render_to_string(template, {**context(), "csrf_token": marker}))


def kept_markup(request, key: str, write):
    """Markup ``write(marker)`` writes with ``marker`` where the view's CSRF token goes, kept per user, language and
    day (``page_body``'s rule), with the view's own token put in its place."""
    from greenfactory.portal import kept

    def written():
        # A marker nobody can type: the markup shows user text, which must never be taken for the token's place.
        marker = secrets.token_hex(16)
        return marker, write(marker)

    marker, html = kept(f"{key}:{request.user.pk}:{get_language()}:{timezone.localdate()}", written)
    return mark_safe(html.replace(marker, escape(get_token(request))))  # noqa: S308  (markup the portal wrote)
