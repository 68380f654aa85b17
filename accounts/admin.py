from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.forms import ModelMultipleChoiceField
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import (
    AuditEvent,
    Deadline,
    District,
    Enterprise,
    IdentityChange,
    Industry,
    Notification,
    Organisation,
    OrganisationKind,
    Park,
    PendingRegistration,
    User,
)
from greenfactory.forms import PortalFormMixin, PortalModelForm
from greenfactory.models import CalendarDay, CalendarYear

# Django stores permission names in English ("Can add 用户"); the admin shows them in the reader's language.
# One whole phrase per action, so that a language with spaces between words gets them ("Can add user").
_PERMISSION_ACTIONS = {"add": _("可以添加%(name)s"), "change": _("可以修改%(name)s"), "delete": _("可以删除%(name)s"),
                       "view": _("可以查看%(name)s")}


# Third-party models whose names ship only in English (changing their _meta would change their migrations).
_MODEL_NAMES = {"django_fsm_log.statelog": _("状态变更记录")}


def permission_label(permission: Permission) -> str:
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is None or action not in _PERMISSION_ACTIONS:
        return f"{permission.content_type.app_label} | {permission.name}"
    app = model._meta.app_config.verbose_name
    name = _MODEL_NAMES.get(model._meta.label_lower, model._meta.verbose_name)
    return f"{app} | {name} | {_PERMISSION_ACTIONS[action] % {'name': name}}"


# django-axes' lockout column has no label of its own ("Status").
AccessAttemptAdmin.status.short_description = _("状态")


class ChinesePermissionsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and isinstance(field, ModelMultipleChoiceField):
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_label
        return field


class PortalAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login obeys the portal's rules too: demo accounts are refused when demo login is off."""

    def confirm_login_allowed(self, user):
        if user.is_demo and not settings.DEMO_LOGIN_ENABLED:
            raise ValidationError(_("演示账号在正式环境中不可登录。"), code="demo_disabled")
        super().confirm_login_allowed(user)


admin.site.login_form = PortalAdminAuthenticationForm


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the portal manages through its own rules (workflows, services): the admin shows them only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline:
    """An inline of a record the admin only shows: nothing added, changed or deleted through it."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Reference data an administrator keeps in the admin: every addition, change (each field from → to) and
    deletion, inline rows included, is written to the audit trail (``services.admin_save``/``admin_delete``)."""

    def save_model(self, request, obj, form, change):
        services.admin_save(actor=request.user, obj=obj, created=not change, request=request)

    def delete_model(self, request, obj):
        services.admin_delete(actor=request.user, obj=obj, request=request)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.admin_delete(actor=request.user, obj=obj, request=request)

    # How a related record of a many-to-many field is named in the audit record.
    related_label = staticmethod(str)

    def _related_labels(self, obj, names):
        return {name: sorted(self.related_label(related) for related in getattr(obj, name).all()) for name in names}

    def save_related(self, request, form, formsets, change):
        names = [field.name for field in form.instance._meta.many_to_many if field.name in form.cleaned_data]
        before = self._related_labels(form.instance, names) if change else dict.fromkeys(names, [])
        super().save_related(request, form, formsets, change)
        after = self._related_labels(form.instance, names)
        services.admin_related_record(actor=request.user, obj=form.instance, request=request,
                                      changes={name: {"from": before[name], "to": after[name]} for name in names})

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.admin_delete(actor=request.user, obj=obj, request=request)
        for obj in instances:
            services.admin_save(actor=request.user, obj=obj, created=obj._state.adding, request=request)
        formset.save_m2m()


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ["name", "code", "kind", "position"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Industry)
class IndustryAdmin(AuditedAdmin):
    list_display = ["code", "name", "sector"]
    list_editable = ["sector"]
    list_filter = ["sector"]
    search_fields = ["code", "name"]


class OrganisationAdminForm(PortalModelForm):
    """A unit's fields are printed (names, addresses, products on the intake form and certificates): the admin checks
    them as the portal's own forms do — no control or invisible format characters, nothing a printed form cannot
    show."""

    printed_fields = "__all__"

    class Meta:
        model = Organisation
        fields = "__all__"


# An enterprise's registered identity and every unit's registration status change only through the portal (the
# identity-change request its district approves, the registration review): the admin shows them read-only.
ENTERPRISE_IDENTITY_FIELDS = ["name", "credit_code", "district"]


class AuditedOrganisationAdmin(AuditedAdmin):
    """Changes are audited field by field (``AuditedAdmin``). An enterprise's registered identity (name, credit code,
    district) and every unit's registration status are read-only here: they change through the enterprise's request
    and its district's approval (``identity_change_approve``), which the intake applications rely on, and through
    the registration review. A unit's kind is fixed once it has its profile (enterprise, park). The portal's
    character rules apply to every field (``OrganisationAdminForm``)."""

    form = OrganisationAdminForm
    readonly_fields = ["status", "decided_at", "refusal_reason", "created_at", "public_id"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.kind == OrganisationKind.ENTERPRISE:
            fields += ENTERPRISE_IDENTITY_FIELDS
        if obj is not None and obj.kind in (OrganisationKind.ENTERPRISE, OrganisationKind.PARK):
            fields.append("kind")
        return [name for name in dict.fromkeys(fields) if name not in (self.exclude or ())]


@admin.register(Organisation)
class OrganisationAdmin(AuditedOrganisationAdmin):
    list_display = ["name", "kind", "district", "credit_code", "status", "created_at"]
    list_filter = ["kind", "status", "district"]
    search_fields = ["name", "credit_code"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "kind":
            # Enterprises register themselves and parks have a profile of their own (their own admin pages).
            field.choices = [c for c in field.choices
                             if c[0] not in (OrganisationKind.ENTERPRISE, OrganisationKind.PARK)]
        return field


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedOrganisationAdmin):
    list_display = ["name", "credit_code", "district", "industry", "ownership_type", "status"]
    list_filter = ["status", "district", "industry__sector", "ownership_type"]
    search_fields = ["name", "credit_code"]
    exclude = ["kind"]

    def has_add_permission(self, request):
        # An enterprise registers itself and its district reviews it (企业自行注册，区县审核).
        return False


@admin.register(Park)
class ParkAdmin(AuditedOrganisationAdmin):
    list_display = ["name", "district", "park_type", "approval_level", "status"]
    list_filter = ["district", "park_type", "approval_level"]
    search_fields = ["name"]
    exclude = ["kind"]


class PortalUserChangeForm(PortalFormMixin, UserChangeForm):
    """The portal's character rules apply in the admin too (a name with a BOM or an emoji prints on forms)."""

    printed_fields = ("full_name",)


class PortalUserCreationForm(PortalFormMixin, AdminUserCreationForm):
    printed_fields = ("full_name",)


@admin.register(User)
class PortalUserAdmin(ChinesePermissionsMixin, UserAdmin):
    """Role and organisation are checked against each other by ``User.clean`` (run by the admin's form); changes
    to role, organisation, active, staff, superuser, user name and e-mail are audited with from and to
    (``user_admin_save``)."""

    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    list_display = ["username", "full_name", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active", "organisation__district"]
    search_fields = ["username", "full_name", "email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["last_login", "date_joined", "password_changed_at", "is_demo"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "email", "phone")}),
        (_("角色与单位"), {"fields": ("role", "organisation")}),
        (_("状态"), {"fields": ("is_active", "must_change_password", "password_changed_at", "is_demo",
                               "is_staff", "is_superuser")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "email", "role", "organisation",
                                                 "password1", "password2")}),
    )
    ordering = ["role", "username"]

    def save_model(self, request, obj, form, change):
        services.user_admin_save(actor=request.user, user=obj, created=not change, request=request)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            services.user_admin_password_set(actor=request.user, user=self.get_object(request, unquote(id)),
                                             request=request)
        return response


admin.site.unregister(Group)


@admin.register(Group)
class PortalGroupAdmin(ChinesePermissionsMixin, AuditedAdmin, GroupAdmin):
    """A group's permissions decide what its staff members may do in this admin: changes are audited, each
    permission by its Chinese label."""

    related_label = staticmethod(permission_label)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["timestamp", "username", "action", "object_type", "object_repr", "result", "ip_address"]
    list_filter = ["action", "result"]
    search_fields = ["username", "object_repr", "object_id", "request_id"]
    date_hierarchy = "timestamp"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "title", "read_at", "email_status", "email_attempts"]
    list_filter = ["email_status"]
    search_fields = ["title", "recipient__username"]


@admin.register(PendingRegistration)
class PendingRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "email", "confirmed_at"]
    search_fields = ["email"]
    exclude = ["password_hash"]


@admin.register(IdentityChange)
class IdentityChangeAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "enterprise", "old_name", "new_name", "new_credit_code", "status"]
    list_filter = ["status"]
    search_fields = ["old_name", "new_name", "old_credit_code", "new_credit_code"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    """Clocks are opened and closed by the workflows' services and transitions; the admin shows them."""

    list_display = ["kind", "label", "organisation", "user", "due_on", "opened_at", "closed_at", "closed_by",
                    "escalated_at"]
    list_filter = ["kind", "closed_at", "escalated_at"]
    list_select_related = ["organisation", "user"]
    search_fields = ["label", "organisation__name", "user__username"]
    date_hierarchy = "due_on"


# The holiday calendar decides every deadline the portal computes: its changes are audited like the other reference
# data (greenfactory, which imports no app, registers its admin; it is wrapped here).
def _audited(model):
    base = type(admin.site._registry[model])
    admin.site.unregister(model)
    admin.site.register(model, type(base.__name__, (AuditedAdmin, base), {"__doc__": base.__doc__}))


# Likewise django-axes' records: deleting an attempt lifts a lockout, deleting a log entry removes evidence.
for _model in (CalendarYear, CalendarDay, AccessAttempt, AccessLog, AccessFailureLog):
    _audited(_model)
