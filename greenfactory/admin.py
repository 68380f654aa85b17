from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from greenfactory.models import CalendarDay, CalendarYear
from greenfactory.workdays import package_knows_year

_WEEKDAYS = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))


def _weekday_label(day):
    return _WEEKDAYS[day.weekday()]


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ("date", "weekday", "kind", "name")
    readonly_fields = ("weekday",)
    extra = 3
    ordering = ("date",)

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        # Shown because the usual slip is a make-up working day typed on the wrong date.
        return _weekday_label(obj.date) if obj.date else "—"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "holiday_count", "workday_count", "built_in", "note", "created_at")
    search_fields = ("year", "note")
    readonly_fields = ("created_at",)
    fields = ("year", "note", "created_at")
    inlines = (CalendarDayInline,)

    def get_queryset(self, request):
        # Both counts in the list's one query rather than two per row.
        return (
            super()
            .get_queryset(request)
            .annotate(
                holiday_total=Count("days", filter=Q(days__kind=CalendarDay.Kind.HOLIDAY)),
                workday_total=Count("days", filter=Q(days__kind=CalendarDay.Kind.WORKDAY)),
            )
        )

    @admin.display(description=_("放假天数"), ordering="holiday_total")
    def holiday_count(self, obj):
        return obj.holiday_total

    @admin.display(description=_("调休上班天数"), ordering="workday_total")
    def workday_count(self, obj):
        return obj.workday_total

    @admin.display(description=_("内置日历已包含"), boolean=True)
    def built_in(self, obj):
        # In a year chinese-calendar carries, the entered days are corrections, not the whole schedule.
        return package_knows_year(obj.year)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "calendar_year")
    list_filter = ("kind", "calendar_year")
    search_fields = ("name",)
    date_hierarchy = "date"
    list_select_related = ("calendar_year",)
    autocomplete_fields = ("calendar_year",)

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return _weekday_label(obj.date)
