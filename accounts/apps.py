from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账号与单位")

    def ready(self):
        from django.apps import apps

        # django-axes ships no Chinese; its strings are translated in locale_vendor/, its app name here.
        apps.get_app_config("axes").verbose_name = _("登录失败与锁定")
        from accounts import navigation, signals  # noqa: F401  (connects receivers)
        from accounts.append_only import protect_state_log
        from accounts.reminders import remind_calendar_years, remind_pending_registrations
        from greenfactory.reminders import register_sweep

        register_sweep("accounts.pending_registrations", remind_pending_registrations)
        register_sweep("accounts.calendar_years", remind_calendar_years)
        navigation.register()
        protect_state_log()
