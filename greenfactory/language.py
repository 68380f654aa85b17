"""Stored text is written in the portal's language.

Notification titles and bodies, the reasons of the entry criteria, a decision's generated comment: text built with
gettext and *stored* is read later by someone else (a district official reading what an enterprise's submission
produced, an enterprise reading a district's decision). Built in the acting user's language, an English-speaking
enterprise would leave English text in a Chinese district's inbox. Every service builds such text inside
``portal_language()`` (or a helper decorated with ``in_portal_language``): the portal's default language
(``settings.LANGUAGE_CODE``, zh-hans), whoever acts. What is shown to the acting user themself — flash messages, form
errors, a 409 — is built outside it and stays in their language.
"""

import functools
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


@contextmanager
def portal_language():
    """Build text that is stored (and read by others later) in the portal's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def in_portal_language(func):
    """``portal_language()`` around a whole function that only builds or writes stored text."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with portal_language():
            return func(*args, **kwargs)

    return wrapper
