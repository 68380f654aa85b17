from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与单位")

    def ready(self):
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django.apps import apps

        # django-axes ships no Chinese; its strings are translated in locale_vendor/, its app name here.
        apps.get_app_config("axes").verbose_name = _("登录失败与锁定")
        apps.get_app_config("django_fsm_log").verbose_name = _("状态变更记录")
        _name_axes_records_in_chinese(AccessAttempt, AccessLog, AccessFailureLog)
        from accounts import navigation, panels, scale, scale_bench, scale_history, signals, workflows  # noqa: F401
        from accounts.access import is_active_member_of_organisation
        from accounts.append_only import protect_state_log
        from accounts.audit import transition_record
        from accounts.deadline_reminders import deadline_sweep_task
        from accounts.deadlines import deadline_stops_record
        from accounts.inbox import message_send
        from accounts.reminders import remind_calendar_years
        from accounts.selectors import recent_notifications_for_user, unread_count
        from accounts.services.registration import pending_registrations_purge
        from greenfactory import workflow
        from greenfactory.backup import register_reference_rows
        from greenfactory.portal import Inbox, register_inbox, register_reference_models, register_shell_check
        from greenfactory.reminders import register_sweep
        from greenfactory.scale import register_scale_seeder

        # One sweep for every clock of every app (registration reviews, intake submissions, and later ones).
        register_sweep("accounts.deadlines", deadline_sweep_task)
        register_sweep("accounts.calendar_years", remind_calendar_years)
        register_sweep("accounts.expired_registration_links", pending_registrations_purge)
        navigation.register()
        panels.register()
        # Reference data kept in each process (greenfactory.portal.reference_data) follows any change to these rows.
        from accounts.models import District, Industry

        register_reference_models(District, Industry)
        # The shell shows this inbox, and nothing but the registration page to a unit not (yet) approved.
        register_inbox(Inbox(unread_count=unread_count, recent=recent_notifications_for_user))
        register_shell_check(is_active_member_of_organisation)
        # Loaded by migration 0002 (reference data); a restore replaces them with the backup's, dependents first.
        register_reference_rows("accounts.organisation", "accounts.industry", "accounts.district")
        protect_state_log()
        # Every fired transition is audited in its own transaction; its inbox messages go through the inbox.
        workflow.register_recorder("accounts.audit", transition_record)
        # A transition closes the clocks it declares it stops (``@transition(stops=...)``), in its transaction.
        workflow.register_recorder("accounts.deadlines", deadline_stops_record)
        workflow.register_message_sender(message_send)
        # City-scale data (manage.py seed_scale): units and users first, everyone's inbox and audit history last.
        register_scale_seeder(scale.seed_units, order=10, name="accounts: units and users")
        register_scale_seeder(scale_bench.seed_bench_accounts, order=15, name="accounts: bench accounts")
        register_scale_seeder(scale_history.seed_history, order=900, name="accounts: inboxes and audit history")


def _name_axes_records_in_chinese(AccessAttempt, AccessLog, AccessFailureLog):  # noqa: N803  (the models)
    """django-axes names its records with English f-strings ("Attempted Access: …"), which the admin shows in titles
    and breadcrumbs; they cannot go through a catalogue, so the portal names them."""
    AccessAttempt.__str__ = lambda self: gettext("登录尝试：%(user)s，%(time)s") % {
        "user": self.username, "time": f"{self.attempt_time:%Y-%m-%d %H:%M}"}
    AccessLog.__str__ = lambda self: gettext("登录日志：%(user)s，%(time)s") % {
        "user": self.username, "time": f"{self.attempt_time:%Y-%m-%d %H:%M}"}
    AccessFailureLog.__str__ = lambda self: gettext("登录失败：%(user)s，%(time)s，来自 %(ip)s") % {
        "user": self.username, "time": f"{self.attempt_time:%Y-%m-%d %H:%M}", "ip": self.ip_address}
