"""Writes for cultivation campaigns: opening, correcting, extending and closing them."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.inbox import notification_send
from accounts.models import AuditAction, District, MessageKind, Role, Sector, User
from applications import access
from applications.clocks import intake_clocks_close, intake_clocks_move
from applications.models import (
    CampaignTarget,
    CultivationCampaign,
    IntakeApplication,
    IntakeStatus,
)
from greenfactory.language import portal_language
from greenfactory.text import clause, join_list
from greenfactory.workflow import TransitionConflict, reason_required

# --- Campaigns -------------------------------------------------------------------------------------------------------

# What an official may correct before the campaign is over. The year and the district stay: they fix which library
# (one per district and year) the campaign fills.
CAMPAIGN_CORRECTABLE = ("title", "document_number", "opens_on", "deadline", "key_sectors", "default_target")
TARGET_BOUNDS = (1, 1000)
CLOSING_REASON_MAX = 500


@transaction.atomic
def campaign_create(*, actor, data: dict, targets: dict | None = None, request=None) -> CultivationCampaign:
    """Open a campaign. A district official opens one for its own district only; the city for all or any."""
    if actor.role == Role.DISTRICT:
        data = {**data, "district": actor.organisation.district}
    campaign = CultivationCampaign(created_by=actor, **data)
    if not access.can_manage_campaign(actor, campaign):
        raise PermissionDenied(_("您无权发布该年度培育工作。"))
    campaign.full_clean()
    overlapping = CultivationCampaign.objects.filter(year=campaign.year)
    if campaign.district_id:
        overlapping = overlapping.filter(Q(district__isnull=True) | Q(district_id=campaign.district_id))
    if overlapping.exists():
        # One library per district and year: a second campaign would let an enterprise enter it twice.
        raise ValidationError({"year": _("%(year)d年已有覆盖该区县的年度培育工作：%(title)s。")
                               % {"year": campaign.year, "title": overlapping.first().title}})
    campaign.save()
    for district, target in (targets or {}).items():
        CampaignTarget.objects.create(campaign=campaign, district=district, target=target)
    audit_record(action=AuditAction.CREATED, actor=actor, obj=campaign, request=request,
                 detail={"created": True, "year": campaign.year})
    return campaign


def campaign_closing_message(campaign) -> str:
    return _("本年度培育工作已于%(time)s提前结束（原因：%(reason)s），不能再填报或提交。") % {
        "time": timezone.localtime(campaign.closed_at).strftime("%Y-%m-%d %H:%M"),
        "reason": clause(campaign.closed_reason)}


def _locked_campaign(campaign) -> CultivationCampaign:
    return CultivationCampaign.objects.select_for_update().get(pk=campaign.pk)


def _refuse_unless_correctable(actor, campaign):
    if not access.can_manage_campaign(actor, campaign):
        raise PermissionDenied(_("您无权修改该年度培育工作。"))
    if campaign.is_over():
        raise TransitionConflict(_("该年度培育工作已于%(date)s结束，不能再修改。")
                                 % {"date": timezone.localtime(campaign.closes_at()).strftime("%Y-%m-%d")})


def _plain(value):
    """A value as the audit log stores it (JSON)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return list(value)
    return value


def campaign_scope_districts(campaign):
    """The districts a campaign covers: its own, or all 41 for the city's."""

    districts = District.objects.order_by("position")
    return districts.filter(pk=campaign.district_id) if campaign.district_id else districts


def campaign_dates_locked(campaign, today=None) -> bool:
    """Once a campaign has opened, enterprises are working to its dates: the opening stays, and the deadline moves
    only through ``campaign_extend`` (later, with a notice) or ``campaign_close`` (earlier, with a reason and a
    notice). Before it opens, everything may be corrected."""
    return campaign.opens_on <= (today or timezone.localdate())


def _refuse_date_changes_once_open(campaign, changes: dict):
    if not campaign_dates_locked(campaign):
        return
    errors = {}
    if "opens_on" in changes and changes["opens_on"] != campaign.opens_on:
        errors["opens_on"] = _("该年度培育工作已于%(date)s开始申报，开始日期不能再修改。") % {"date": campaign.opens_on}
    if "deadline" in changes and changes["deadline"] != campaign.deadline:
        errors["deadline"] = _("已开始申报的年度培育工作，截止日期只能通过“延长截止日期”（推迟，企业将收到通知）"
                               "或“提前结束”（须说明原因，企业将收到通知）修改。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_update(*, campaign, actor, changes: dict, targets: dict | None = None, seen: dict | None = None,
                    seen_targets: dict | None = None, request=None) -> CultivationCampaign:
    """Correct a campaign before it is over: its title, document number, dates, key sectors and targets.

    Only the values passed change (the view passes what the official changed on the form), on the row held under
    lock, so two corrections of different things made at once both stand. ``targets`` maps districts of the campaign
    to their target. ``seen`` (field → value) and ``seen_targets`` (district → target) hold what the official saw
    when they opened the form, for the values they changed: when one of those no longer holds (someone else changed
    it meanwhile), the whole correction is refused rather than overwrite the other's change without a word.
    Audited with each value before and after. Raises PermissionDenied (not the official's campaign),
    TransitionConflict (the campaign is over; a value changed meanwhile) and ValidationError (dates, bounds).
    """
    campaign = _locked_campaign(campaign)
    _refuse_unless_correctable(actor, campaign)
    _refuse_date_changes_once_open(campaign, changes)
    unknown = set(changes) - set(CAMPAIGN_CORRECTABLE)
    if unknown:
        raise ValidationError(_("这些内容不能修改：%(fields)s。") % {"fields": join_list(sorted(unknown))})
    _refuse_stale_corrections(campaign, changes=changes, targets=targets or {}, seen=seen, seen_targets=seen_targets)
    before = {field: getattr(campaign, field) for field in CAMPAIGN_CORRECTABLE}
    for field, value in changes.items():
        setattr(campaign, field, value)
    if campaign.deadline < campaign.opens_on:
        raise ValidationError({"deadline": _("截止日期不能早于开始日期。")})
    if "deadline" in changes and campaign.deadline != before["deadline"] \
            and campaign.deadline < timezone.localdate():
        raise ValidationError({"deadline": _("截止日期不能早于今天；如需提前结束，请使用“提前结束”。")})
    campaign.full_clean(exclude=["created_by", "closed_by"])
    diff = {field: [_plain(before[field]), _plain(getattr(campaign, field))]
            for field in CAMPAIGN_CORRECTABLE if getattr(campaign, field) != before[field]}
    if diff:
        campaign.save(update_fields=list(diff))
    overrides = {t.district_id: t for t in campaign.targets.all()}
    in_scope = set(campaign_scope_districts(campaign).values_list("pk", flat=True))
    for district, target in (targets or {}).items():
        if district.pk not in in_scope:
            raise ValidationError(_("%(district)s不在该年度培育工作范围内。") % {"district": district.name})
        if not TARGET_BOUNDS[0] <= target <= TARGET_BOUNDS[1]:
            raise ValidationError(_("入库目标应在%(low)d至%(high)d家之间。")
                                  % {"low": TARGET_BOUNDS[0], "high": TARGET_BOUNDS[1]})
        override = overrides.get(district.pk)
        old = override.target if override else before["default_target"]
        if override and target == campaign.default_target:
            override.delete()
        elif override:
            override.target = target
            override.save(update_fields=["target"])
        elif target != campaign.default_target:
            CampaignTarget.objects.create(campaign=campaign, district=district, target=target)
        if old != target:
            diff[f"target:{district.name}"] = [old, target]
    if diff:
        audit_record(action=AuditAction.CHANGED, actor=actor, obj=campaign, request=request,
                     detail={"campaign": "corrected", "changes": diff})
    return campaign


def _same(field, seen, current) -> bool:
    if field == "key_sectors":
        return sorted(seen or []) == sorted(current or [])
    return _plain(seen) == _plain(current)


def _shown(field, value) -> str:
    """A value as the official saw it on the form, for the conflict message."""
    if field == "key_sectors":
        labels = dict(Sector.choices)
        return join_list(str(labels.get(code, code)) for code in value) if value else _("（未选择）")
    if value in (None, ""):
        return _("（空）")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _refuse_stale_corrections(campaign, *, changes, targets, seen, seen_targets):
    """On the locked row: each value the official changed must still be the one they saw (a lost update otherwise:
    two officials correcting the same title from the same starting value, the later one silently winning)."""
    stale = []
    if seen is not None:
        for field in changes:
            current = getattr(campaign, field)
            if not _same(field, seen.get(field), current):
                label = CultivationCampaign._meta.get_field(field).verbose_name
                stale.append(_("“%(field)s”现为“%(current)s”（您打开页面时为“%(seen)s”）") % {
                    "field": label, "current": _shown(field, current), "seen": _shown(field, seen.get(field))})
    if seen_targets is not None and targets:
        overrides = {target.district_id: target.target for target in campaign.targets.all()}
        for district in targets:
            current = overrides.get(district.pk, campaign.default_target)
            if seen_targets.get(district) != current:
                stale.append(_("“%(district)s入库目标”现为%(current)s家（您打开页面时为%(seen)s家）") % {
                    "district": district.name, "current": current,
                    "seen": _shown("target", seen_targets.get(district))})
    if stale:
        raise TransitionConflict(
            _("您打开修改页面后，其他人已修改了同一内容：%(fields)s。您的修改均未保存。请返回修改页面，"
              "核对最新内容后重新修改。") % {"fields": join_list(stale)},
            url=reverse("applications:campaign_edit", args=[campaign.public_id]))


def _waiting_enterprise_users(campaign):
    """Active users of enterprises whose application to the campaign is a draft or was returned."""

    waiting = IntakeApplication.objects.filter(campaign=campaign,
                                               status__in=[IntakeStatus.DRAFT, IntakeStatus.RETURNED])
    return User.objects.filter(is_active=True, organisation_id__in=waiting.values("enterprise_id"))


@transaction.atomic
def campaign_extend(*, campaign, actor, deadline, request=None) -> CultivationCampaign:
    """Move the deadline later. Enterprises with a draft or returned application are told in their inbox. Raises
    PermissionDenied, TransitionConflict (closed early) and ValidationError (not later, or in the past)."""
    campaign = _locked_campaign(campaign)
    if not access.can_manage_campaign(actor, campaign):
        raise PermissionDenied(_("您无权修改该年度培育工作。"))
    if campaign.closed_at:
        raise TransitionConflict(_("该年度培育工作已提前结束，不能延期。"))
    if deadline <= campaign.deadline:
        raise ValidationError({"deadline": _("新的截止日期应晚于原截止日期%(date)s。") % {"date": campaign.deadline}})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("新的截止日期不能早于今天。")})
    previous = campaign.deadline
    campaign.deadline = deadline
    campaign.full_clean(exclude=["created_by", "closed_by"])
    campaign.save(update_fields=["deadline"])
    intake_clocks_move(campaign)
    audit_record(action=AuditAction.CHANGED, actor=actor, obj=campaign, request=request,
                 detail={"campaign": "extended", "changes": {"deadline": [previous.isoformat(),
                                                                          deadline.isoformat()]}})
    with portal_language():
        notification_send(
            recipients=_waiting_enterprise_users(campaign),
            title=_("%(title)s截止日期延至%(date)s") % {"title": campaign.title, "date": deadline},
            body=_("%(title)s的入库申请截止日期由%(old)s延至%(new)s，请在新的截止日前完成填报并提交。")
            % {"title": campaign.title, "old": previous, "new": deadline},
            url=reverse("applications:my_applications"), kind=MessageKind.ANNOUNCEMENT,
        )
    return campaign


@transaction.atomic
def campaign_close(*, campaign, actor, reason, request=None) -> CultivationCampaign:
    """Close a campaign before its deadline, with a reason: submissions are refused from then on. Enterprises with
    a draft or returned application are told. Raises PermissionDenied, TransitionConflict (already over) and
    ValidationError (no reason)."""
    campaign = _locked_campaign(campaign)
    if not access.can_manage_campaign(actor, campaign):
        raise PermissionDenied(_("您无权结束该年度培育工作。"))
    if campaign.is_over():
        raise TransitionConflict(_("该年度培育工作已结束，无需再提前结束。"))
    reason = reason_required(reason)
    if len(reason) > CLOSING_REASON_MAX:
        raise ValidationError({"reason": _("原因不能超过%(n)d个字。") % {"n": CLOSING_REASON_MAX}})
    campaign.closed_at = timezone.now()
    campaign.closed_by = actor
    campaign.closed_reason = reason
    campaign.save(update_fields=["closed_at", "closed_by", "closed_reason"])
    intake_clocks_close(campaign, by="campaign_close")
    audit_record(action=AuditAction.CHANGED, actor=actor, obj=campaign, request=request,
                 detail={"campaign": "closed", "reason": reason, "deadline": campaign.deadline.isoformat()})
    with portal_language():
        notification_send(
            recipients=_waiting_enterprise_users(campaign),
            title=_("%(title)s已提前结束") % {"title": campaign.title},
            body=campaign_closing_message(campaign),
            url=reverse("applications:my_applications"), kind=MessageKind.ANNOUNCEMENT,
        )
    return campaign


