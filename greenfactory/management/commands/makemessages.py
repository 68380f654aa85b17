from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """makemessages that also reads ``_lazy("…")`` (the portal's name for gettext_lazy where ``_`` is gettext)."""

    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
