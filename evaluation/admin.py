"""The indicator system and the energy carriers, kept by administrators. A version already used by an assessment is
never edited: a change to it, through any of these pages, is saved in a new version (evaluation.services)."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin import AuditedAdmin, ReadOnlyInline
from evaluation import services
from evaluation.models import EnergyCarrier, Indicator, IndicatorArea, IndicatorSystem
from evaluation.scoring import AWAITING_VALUES


def _value(value):
    return AWAITING_VALUES if value is None else value


class AreaInline(ReadOnlyInline, admin.TabularInline):
    model = IndicatorArea
    fields = ["code", "name", "weight_shown", "position"]
    readonly_fields = fields
    show_change_link = True

    @admin.display(description=_("权重（分）"))
    def weight_shown(self, obj):
        return _value(obj.weight)


class IndicatorInline(ReadOnlyInline, admin.TabularInline):
    model = Indicator
    fields = ["code", "area", "group", "name", "kind", "required", "points_shown", "direction", "base_shown",
              "lead_shown", "figure"]
    readonly_fields = fields
    show_change_link = True

    @admin.display(description=_("分值"))
    def points_shown(self, obj):
        return "—" if obj.kind == "veto" else _value(obj.points)

    @admin.display(description=_("基准值"))
    def base_shown(self, obj):
        return _value(obj.base_value) if obj.kind == "quantitative" else "—"

    @admin.display(description=_("引领值"))
    def lead_shown(self, obj):
        return _value(obj.lead_value) if obj.kind == "quantitative" else "—"


@admin.register(IndicatorSystem)
class IndicatorSystemAdmin(AuditedAdmin):
    list_display = ["code", "title", "variant", "version", "scoring", "in_force_from", "active", "frozen_at"]
    list_filter = ["code", "active"]
    search_fields = ["code", "title", "variant"]
    filter_horizontal = ["industries"]
    readonly_fields = ["version", "frozen_at", "previous"]
    inlines = [AreaInline, IndicatorInline]
    actions = ["revise"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.frozen:
            # A used version keeps its header; only retiring it (``active``) is allowed.
            return [f.name for f in obj._meta.fields if f.name not in ("id", "active")] + ["industries"]
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.frozen

    @admin.action(description=_("复制为新版本"))
    def revise(self, request, queryset):
        for system in queryset:
            new = services.indicator_system_revise(system=system, actor=request.user, request=request)
            self.message_user(request, gettext("已生成新版本：%(name)s") % {"name": new}, messages.SUCCESS)


class _RevisingAdmin(AuditedAdmin):
    """A change on a frozen version is saved in a new version; the administrator is told where it went."""

    save_service = None

    def save_model(self, request, obj, form, change):
        saved, revised = type(self).save_service(obj, actor=request.user, request=request)
        if revised:
            self.message_user(request, gettext(
                "该版本已被评估使用，原版本保持不变；修改已保存在新版本：%(name)s") % {"name": saved.system},
                messages.WARNING)
        form.instance = saved

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.system.frozen

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset.filter(system__frozen_at__isnull=True))


@admin.register(IndicatorArea)
class IndicatorAreaAdmin(_RevisingAdmin):
    list_display = ["name", "code", "system", "weight", "position"]
    list_filter = ["system"]
    save_service = staticmethod(lambda obj, **kw: services.indicator_area_save(area=obj, **kw))


@admin.register(Indicator)
class IndicatorAdmin(_RevisingAdmin):
    list_display = ["code", "name", "system", "area", "kind", "required", "points", "base_value", "lead_value"]
    list_filter = ["system", "kind", "required"]
    search_fields = ["code", "name", "group"]
    save_service = staticmethod(lambda obj, **kw: services.indicator_save(indicator=obj, **kw))


@admin.register(EnergyCarrier)
class EnergyCarrierAdmin(AuditedAdmin):
    list_display = ["name", "code", "unit", "tce_per_unit", "renewable", "position"]
    list_editable = ["tce_per_unit", "renewable", "position"]
