"""Each user's choice, per kind of message, of whether it also goes by e-mail (the inbox always gets it)."""

from django.db import transaction

from accounts.choices import MessageKind
from accounts.models import EmailPreference


def email_preferences_for_user(user) -> dict[str, bool]:
    """Every kind of message with whether the user has it mailed (mailed unless they chose otherwise)."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, True) for kind in MessageKind.values}


@transaction.atomic
def email_preferences_set(*, user, actor, choices: dict[str, bool]) -> dict[str, bool]:
    """Store the user's choices (kind → mailed); kinds not named keep theirs. Only the user chooses for
    themselves: ``actor`` must be ``user`` (ValueError otherwise, a programming error)."""
    if actor.pk != user.pk:
        raise ValueError("a user chooses their own e-mail preferences")
    for kind, email in choices.items():
        if kind in MessageKind.values:
            EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": bool(email)})
    return email_preferences_for_user(user)
