"""What the topics of accounts' services share: a reason that must be given, who manages whose account, and the
insert of a new account (unique user name and e-mail address, also when two requests race)."""

import rules
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import user_email_taken, username_taken


def manages_account(actor, user) -> bool:
    """The city and administrators manage accounts they can see; only an administrator manages administrators."""
    if user.pk == actor.pk:
        # Oneself: the colleague rules and the services' own checks decide (never the account list's buttons).
        if not rules.has_perm("accounts.manage_accounts", actor):
            return False
    elif not rules.has_perm("accounts.manage_account", actor, user):
        return False
    return User.objects.visible_to(actor).filter(pk=user.pk).exists()


def user_validate(user) -> None:
    """``full_clean`` for a new user, with a race reported on its field: an account saved by someone else between
    the service's check and this one fails the case-insensitive unique constraint here, which Django reports for
    the form as a whole; it is the address (or the user name) that is taken, so it is said there."""
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        if NON_FIELD_ERRORS in getattr(error, "error_dict", {}):
            if user_email_taken(user.email):
                raise ValidationError({"email": _("该电子邮箱已被其他账号使用。每个账号须使用自己的邮箱。")}) from error
            if username_taken(user.username):
                raise ValidationError({"username": _("该用户名已被使用，请换一个。")}) from error
        raise


def user_insert(user) -> None:
    """Insert a user. The case-insensitive unique indexes on the user name and the e-mail address decide when two
    accounts race for one of them: one is saved, the other gets a ValidationError naming the field (never a 500)."""
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        if user_email_taken(user.email):
            raise ValidationError({"email": _("该电子邮箱已被其他账号使用。每个账号须使用自己的邮箱。")}) from exc
        raise ValidationError({"username": _("该用户名已被使用，请换一个。")}) from exc
