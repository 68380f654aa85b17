"""System checks of the platform's own data.

Tagged ``database`` so they run with ``manage.py check --database default`` and before ``migrate``, never with a
plain ``check`` or ``check --deploy``: those stay about code and settings and work without a database.
"""

from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError, connections, router, transaction
from django.utils.translation import gettext

from greenfactory.models import CalendarYear
from greenfactory.workdays import calendar_unknown_years, shanghai_today

__all__ = ["calendar_unknown_years", "check_calendar_years"]


@register(Tags.database)
def check_calendar_years(app_configs=None, databases=None, **kwargs):
    """greenfactory.W001 for next year (and this year) when no one knows its official holiday schedule.

    The State Council publishes next year's schedule in the autumn; deadlines counted in December already run into
    it, and the working-day functions refuse to guess.
    """
    alias = router.db_for_read(CalendarYear)
    if not databases or alias not in databases:
        return []
    try:
        # Before the first migrate the table is missing; the check must not stop migrate from creating it.
        if CalendarYear._meta.db_table not in connections[alias].introspection.table_names():
            return []
        # A savepoint keeps a failed query from poisoning an enclosing PostgreSQL transaction.
        with transaction.atomic(using=alias):
            unknown = calendar_unknown_years(shanghai_today())
    except DatabaseError:
        return []
    return [
        CheckWarning(
            gettext("%(year)d年的法定节假日安排尚未录入，届时工作日和办理期限将无法计算。") % {"year": year},
            hint=gettext(
                "国务院办公厅公布%(year)d年节假日安排后，请在管理后台“平台基础 › 节假日安排”中录入该年的放假和"
                "调休上班日期，或升级 chinese-calendar。"
            )
            % {"year": year},
            id="greenfactory.W001",
        )
        for year in unknown
    ]
