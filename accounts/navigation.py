"""What accounts adds to the navigation and to each role's to-do list."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.choices import OrganisationStatus, Role
from accounts.selectors import identity_change_queue_for_user, registration_queue_for_user
from greenfactory.display import url_with_public_id
from greenfactory.portal import (
    ANY_SCOPE,
    NavItem,
    ShellScopes,
    TodoItem,
    TodoSource,
    register_nav,
    register_shell_scopes,
    register_todo,
)
from greenfactory.workdays import calendar_unknown_years

ALL_ROLES = frozenset(Role.values)


def _pending_registrations_count(user):
    return registration_queue_for_user(user).count()


def _pending_registrations_items(user, limit):
    # The title's words translated and the link reversed once for the list, not once per item.
    title, url = gettext("审核企业注册：%(name)s"), url_with_public_id("accounts:registration_detail")
    for enterprise in registration_queue_for_user(user)[:limit]:
        yield TodoItem(
            title=title % {"name": enterprise.name},
            url=url(enterprise.public_id),
            since=enterprise.created_at,
            detail=f"{enterprise.credit_code} · {enterprise.industry.name}",
        )


def _identity_changes_count(user):
    return identity_change_queue_for_user(user).count()


def _identity_changes_items(user, limit):
    title, url = gettext("审核企业信息变更：%(name)s"), url_with_public_id("accounts:identity_change_detail")
    for change in identity_change_queue_for_user(user)[:limit]:
        yield TodoItem(
            title=title % {"name": change.old_name},
            url=url(change.public_id),
            since=change.created_at,
            detail=f"{change.new_name} · {change.new_credit_code}",
        )


def _refused_registration_count(user):
    return int(user.organisation_id is not None and user.organisation.status == OrganisationStatus.REFUSED)


def _refused_registration_items(user, limit):
    if _refused_registration_count(user):
        yield TodoItem(
            title=_("注册未通过审核，请修改后重新提交"),
            url=reverse("accounts:registration_status"),
            since=user.organisation.decided_at,
            detail=user.organisation.refusal_reason,
            urgent=True,
        )


def _calendar_years(user):
    return calendar_unknown_years(today=timezone.localdate())


def _calendar_items(user, limit):
    for year in _calendar_years(user)[:limit]:
        yield TodoItem(
            title=_("录入%(year)d年法定节假日安排") % {"year": year},
            url=reverse("admin:greenfactory_calendaryear_changelist"),
            detail=_("国务院办公厅公布该年节假日安排后，录入放假和调休上班日期，工作日期限才能计算。"),
            urgent=True,
        )


OFFICIALS_OF_ALL = frozenset({Role.CITY, Role.ADMIN})


def shell_scopes(user) -> ShellScopes:
    """Whose kept to-do counts a user's posted form may move, and which moves the user's own (besides every
    transition and message, which move everyone's):
    - the city and administrators see the whole city: any change anywhere, and their forms move everyone's;
    - a district's officials see their district's units: a form posted by one of them (a new draft, a change of
      identity requested) moves the district's counts; their own forms (decisions) move everyone's;
    - everyone else (an enterprise, a park, an expert, an evaluator, a department) sees their own unit's work: their
      forms move their unit's counts and their district's."""
    organisation = user.organisation if user.organisation_id is not None else None
    if user.role in OFFICIALS_OF_ALL or organisation is None:
        return ShellScopes(reads=(ANY_SCOPE,), writes=None)
    district = f"d:{organisation.district_id}" if organisation.district_id is not None else None
    if user.role == Role.DISTRICT:
        return ShellScopes(reads=(district,) if district else (ANY_SCOPE,), writes=None)
    unit = f"o:{organisation.pk}"
    return ShellScopes(reads=(unit,), writes=(unit, district) if district else (unit,))


def register():
    register_shell_scopes(shell_scopes)
    register_nav(NavItem("home", _("工作台"), "home", ALL_ROLES, icon="house", order=0))
    register_nav(NavItem("registrations", _("注册审核"), "accounts:registration_queue", frozenset({Role.DISTRICT}),
                         icon="person-check", order=10, todo_keys=("accounts.registrations",)))
    register_nav(NavItem("identity_changes", _("信息变更审核"), "accounts:identity_change_queue",
                         frozenset({Role.DISTRICT}), icon="pencil-square", order=12,
                         todo_keys=("accounts.identity_changes",)))
    register_nav(NavItem("enterprises", _("企业名录"), "accounts:enterprise_list",
                         frozenset({Role.DISTRICT, Role.CITY, Role.ADMIN}), icon="buildings", order=20))
    register_nav(NavItem("colleagues", _("单位账号"), "accounts:colleagues", frozenset({Role.ENTERPRISE, Role.PARK}),
                         icon="people", order=70))
    register_nav(NavItem("accounts", _("账号管理"), "accounts:account_list", frozenset({Role.CITY, Role.ADMIN}),
                         icon="people", order=80))
    register_nav(NavItem("audit", _("审计日志"), "accounts:audit_log", frozenset({Role.CITY, Role.ADMIN}),
                         icon="journal-text", order=90))
    register_nav(NavItem("admin", _("系统管理"), "admin:index", frozenset({Role.ADMIN}), icon="gear", order=95,
                         todo_keys=("accounts.calendar",)))

    register_todo(TodoSource("accounts.registrations", _("待审核的企业注册"), frozenset({Role.DISTRICT}),
                             _pending_registrations_count, _pending_registrations_items, order=10))
    register_todo(TodoSource("accounts.identity_changes", _("待审核的企业信息变更"), frozenset({Role.DISTRICT}),
                             _identity_changes_count, _identity_changes_items, order=11))
    register_todo(TodoSource("accounts.refused", _("注册审核"), frozenset({Role.ENTERPRISE}),
                             _refused_registration_count, _refused_registration_items, order=10))
    # The unknown years are two at most, read together: listed once a request, and counted by that list.
    register_todo(TodoSource("accounts.calendar", _("节假日安排"), frozenset({Role.ADMIN}),
                             None, _calendar_items, order=90))
