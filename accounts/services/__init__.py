"""Writes for accounts, one module per topic: ``registration`` (request, confirmation, review, resubmission),
``officials`` (accounts the portal opens, switching them off and on), ``passwords``, ``admin`` (saves made in the
Django admin and their audit) and ``identity`` (changes of a registered name or credit code). The audit trail and
the inbox, which every later app uses, are ``accounts.audit`` and ``accounts.inbox``.

The portal's code imports the topic modules; the names are repeated here for scripts and tests."""

from accounts.audit import access_denied_record, audit_record, client_ip
from accounts.inbox import district_officials, notification_mark_read, notification_send
from accounts.services.admin import (
    admin_changes,
    admin_delete,
    admin_related_record,
    admin_save,
    user_admin_password_set,
    user_admin_save,
)
from accounts.services.identity import identity_change_approve, identity_change_refuse, identity_change_request
from accounts.services.officials import (
    account_check_manageable,
    account_create,
    colleague_create,
    colleague_set_active,
    organisation_for_new_account,
    organisation_get_or_create,
)
from accounts.services.passwords import (
    account_reset_password,
    initial_password,
    lockout_lift,
    password_change,
    password_reset_complete,
    password_reset_request,
)
from accounts.services.registration import (
    enterprise_register,
    pending_registrations_purge,
    registration_approve,
    registration_confirm,
    registration_pending_from_token,
    registration_refuse,
    registration_request,
    registration_resubmit,
    registration_token,
)

__all__ = [
    "access_denied_record",
    "account_check_manageable",
    "account_create",
    "account_reset_password",
    "admin_changes",
    "admin_delete",
    "admin_related_record",
    "admin_save",
    "audit_record",
    "client_ip",
    "colleague_create",
    "colleague_set_active",
    "district_officials",
    "enterprise_register",
    "identity_change_approve",
    "identity_change_refuse",
    "identity_change_request",
    "initial_password",
    "lockout_lift",
    "notification_mark_read",
    "notification_send",
    "organisation_for_new_account",
    "organisation_get_or_create",
    "password_change",
    "password_reset_complete",
    "password_reset_request",
    "pending_registrations_purge",
    "registration_approve",
    "registration_confirm",
    "registration_pending_from_token",
    "registration_refuse",
    "registration_request",
    "registration_resubmit",
    "registration_token",
    "user_admin_password_set",
    "user_admin_save",
]
