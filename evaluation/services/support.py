"""Writes of cultivation support: training and exchange events (publish, cancel, sign up, attendance) and technical
assistance (assign an organisation of the register to a library entry, record its visits). Every write is audited;
the people concerned are told through the inbox."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_active_member_of_organisation
from accounts.audit import audit_record
from accounts.choices import OrganisationStatus, Role
from accounts.inbox import notification_send
from accounts.models import AuditAction, Organisation, OrganisationKind, User
from applications.models import LibraryEntry
from evaluation.models import (
    AssistanceVisit,
    RegisterStatus,
    TechnicalAssistance,
    TrainingEvent,
    TrainingSignUp,
)
from greenfactory.language import portal_language
from greenfactory.workflow import COMMENT_MAX_LENGTH, reason_required


def can_organise_events(user) -> bool:
    return user.role in (Role.DISTRICT, Role.CITY) and is_active_member_of_organisation(user)


def is_organiser(user, event) -> bool:
    """The city organises city-wide events; a district its own."""
    if not can_organise_events(user):
        return False
    return (event.district_id is None and user.role == Role.CITY) or (
        event.district_id is not None and (user.role == Role.CITY or event.district_id == user.district_id))


def can_sign_up(user) -> bool:
    """An active user of an enterprise that is in a cultivation library."""
    return (user.role == Role.ENTERPRISE and is_active_member_of_organisation(user)
            and LibraryEntry.objects.filter(enterprise_id=user.organisation_id).exists())


@transaction.atomic
def event_publish(*, event: TrainingEvent, actor, request=None) -> TrainingEvent:
    """Publish an event: a district's for its district, the city's city-wide. The library enterprises it is for are
    told."""
    if not can_organise_events(actor):
        raise PermissionDenied(_("只有区县经信部门和市经济信息委可以发布培训交流活动。"))
    event.district_id = actor.district_id if actor.role == Role.DISTRICT else None
    if event.starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("开始时间须晚于现在。")})
    if event.starts_at.year > timezone.localdate().year + 2:
        raise ValidationError({"starts_at": _("开始时间须在两年之内。")})
    event.created_by = actor
    event.save()
    audit_record(action=AuditAction.CREATED, actor=actor, obj=event, request=request,
                 detail={"starts_at": event.starts_at.isoformat(), "district": event.district_id})
    entries = LibraryEntry.objects.all() if event.district_id is None else LibraryEntry.objects.filter(
        district_id=event.district_id)
    recipients = User.objects.filter(is_active=True, role=Role.ENTERPRISE,
                                     organisation_id__in=entries.values("enterprise_id"))
    with portal_language():
        notification_send(recipients=list(recipients), title=_("培训交流活动：%(title)s") % {"title": event.title},
                          body=_("%(when)s，%(place)s。请在活动开始前报名。") % {
                              "when": timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M"),
                              "place": event.place},
                          url=reverse("evaluation:event_detail", args=[event.public_id]))
    return event


@transaction.atomic
def event_cancel(*, event, actor, reason, request=None) -> TrainingEvent:
    if not is_organiser(actor, event):
        raise PermissionDenied(_("您无权取消该活动。"))
    event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    if event.cancelled_at is not None:
        raise ValidationError({"reason": _("该活动已取消。")})
    reason = reason_required(reason, _("请填写取消原因。"))
    event.cancelled_at = timezone.now()
    event.save(update_fields=["cancelled_at"])
    audit_record(action=AuditAction.CHANGED, actor=actor, obj=event, request=request, detail={"cancelled": reason})
    users = User.objects.filter(is_active=True, organisation_id__in=event.sign_ups.values("unit_id"))
    with portal_language():
        notification_send(recipients=list(users), title=_("活动已取消：%(title)s") % {"title": event.title},
                          body=reason, url=reverse("evaluation:event_detail", args=[event.public_id]))
    return event


@transaction.atomic
def event_sign_up(*, event, actor, attendees: str, request=None) -> TrainingSignUp:
    """A library enterprise signs up before the event starts, within its places."""
    if not can_sign_up(actor):
        raise PermissionDenied(_("只有培育库企业可以报名。"))
    event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    if not event.is_open_for_sign_up():
        raise ValidationError({"attendees": _("该活动已开始或已取消，不能报名。")})
    attendees = (attendees or "").strip()
    if not attendees:
        raise ValidationError({"attendees": _("请填写参加人员。")})
    if event.sign_ups.filter(unit_id=actor.organisation_id).exists():
        raise ValidationError({"attendees": _("贵单位已报名该活动。")})
    if event.capacity is not None and event.sign_ups.count() >= event.capacity:
        raise ValidationError({"attendees": _("该活动名额已满。")})
    try:
        with transaction.atomic():
            sign_up = TrainingSignUp.objects.create(event=event, unit_id=actor.organisation_id, attendees=attendees,
                                                    signed_up_by=actor)
    except IntegrityError:
        raise ValidationError({"attendees": _("贵单位已报名该活动。")}) from None
    audit_record(action=AuditAction.CREATED, actor=actor, obj=event, request=request,
                 detail={"sign_up": actor.organisation_id, "attendees": attendees})
    return sign_up


@transaction.atomic
def event_record_attendance(*, event, actor, attended: dict, request=None) -> int:
    """The organiser records, once the event has started, which signed-up units attended (sign-up pk → bool)."""
    if not is_organiser(actor, event):
        raise PermissionDenied(_("您无权记录出席情况。"))
    if event.starts_at > timezone.now():
        raise ValidationError(_("活动开始后才能记录出席情况。"))
    changed = 0
    for sign_up in event.sign_ups.select_for_update():
        value = attended.get(sign_up.pk)
        if value is not None and value != sign_up.attended:
            sign_up.attended = value
            sign_up.save(update_fields=["attended"])
            changed += 1
    audit_record(action=AuditAction.CHANGED, actor=actor, obj=event, request=request,
                 detail={"attendance_changed": changed})
    return changed


# --- Technical assistance --------------------------------------------------------------------------------------------


def can_assign_assistance(user, entry) -> bool:
    if not is_active_member_of_organisation(user):
        return False
    return user.role == Role.CITY or (user.role == Role.DISTRICT and entry.district_id == user.district_id)


def can_record_visit(user, assistance) -> bool:
    if not is_active_member_of_organisation(user):
        return False
    if user.role == Role.EVALUATOR:
        return user.organisation_id == assistance.organisation_id
    return user.role == Role.DISTRICT and assistance.district_id == user.district_id


def assistance_organisations():
    """The third-party organisations that may give technical assistance: approved evaluator units not disqualified
    from the register (第二十二条)."""
    return Organisation.objects.filter(kind=OrganisationKind.EVALUATOR, status=OrganisationStatus.ACTIVE).exclude(
        evaluator_register__status=RegisterStatus.DISQUALIFIED).order_by("name")


@transaction.atomic
def assistance_assign(*, entry, actor, organisation, scope: str, request=None) -> TechnicalAssistance:
    if not can_assign_assistance(actor, entry):
        raise PermissionDenied(_("您无权指派技术帮扶机构。"))
    if not assistance_organisations().filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("请选择在册且有效的第三方机构。")})
    scope = (scope or "").strip()
    if not scope:
        raise ValidationError({"scope": _("请填写帮扶内容。")})
    assistance = TechnicalAssistance.objects.create(entry=entry, district_id=entry.district_id,
                                                    unit_id=entry.enterprise_id, organisation=organisation,
                                                    scope=scope[:300], assigned_by=actor)
    audit_record(action=AuditAction.CREATED, actor=actor, obj=assistance, request=request,
                 detail={"organisation": str(organisation), "entry": str(entry.public_id)})
    users = list(User.objects.filter(is_active=True, organisation_id__in=[organisation.pk, entry.enterprise_id]))
    with portal_language():
        notification_send(recipients=users, title=_("技术帮扶：%(name)s") % {"name": entry.enterprise.name},
                          body=_("帮扶机构：%(org)s。帮扶内容：%(scope)s") % {"org": organisation.name, "scope": scope},
                          url=reverse("evaluation:assistance_list"))
    return assistance


@transaction.atomic
def assistance_visit_record(*, assistance, actor, visited_on, content: str, request=None) -> AssistanceVisit:
    if not can_record_visit(actor, assistance):
        raise PermissionDenied(_("您无权记录该帮扶情况。"))
    errors = {}
    if visited_on is None or visited_on > timezone.localdate():
        errors["visited_on"] = _("请填写不晚于今天的帮扶日期。")
    content = (content or "").strip()
    if not content:
        errors["content"] = _("请填写帮扶情况。")
    elif len(content) > COMMENT_MAX_LENGTH:
        errors["content"] = _("帮扶情况最多 %(limit)d 个字符。") % {"limit": COMMENT_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    visit = AssistanceVisit.objects.create(assistance=assistance, visited_on=visited_on, content=content,
                                           recorded_by=actor)
    audit_record(action=AuditAction.CREATED, actor=actor, obj=assistance, request=request,
                 detail={"visit": visited_on.isoformat()})
    return visit
