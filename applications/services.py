"""Writes for campaigns, intake applications and the cultivation library.

Each service runs in one transaction, re-reads the application under a row lock before a transition, records the
transition (django-fsm-log) and an audit event, and notifies after commit. Business rules raise ValidationError
(shown on the form) or TransitionConflict (409).
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.audit import audit_record
from accounts.inbox import district_officials, notification_send
from accounts.models import AuditAction, MessageKind, Notification, OwnershipType, Role, Sector
from accounts.selectors import credit_code_warnings
from applications import access
from applications.clocks import intake_clock_close, intake_clock_open, intake_clocks_close, intake_clocks_move
from applications.models import (
    OUTPUT_THRESHOLD,
    ApplicationBan,
    CampaignTarget,
    CriterionResult,
    CultivationCampaign,
    EntryCriterion,
    EntryCriterionResult,
    IntakeApplication,
    IntakeStatus,
    LibraryEntry,
    StampedScan,
)
from greenfactory.language import in_portal_language, portal_language
from greenfactory.spreadsheet import Column, workbook_bytes
from greenfactory.text import clause, join_list
from greenfactory.uploads import save_upload
from greenfactory.workflow import COMMENT_MAX_LENGTH, Message, TransitionConflict, fire, lock, state_conflict

# Fields copied from the enterprise's profile when an application is started (the form's first block).
PROFILE_FIELDS = {
    "company_name": "name", "industry": "industry", "address": "address", "ownership_type": "ownership_type",
    "credit_code": "credit_code", "postal_code": "postal_code", "founded_on": "founded_on",
    "registered_capital": "registered_capital", "main_products": "main_products",
}

# The applicant's identity: always the registered, district-approved profile's (a change goes through the profile,
# with the district's approval), copied onto the application on every save and at submission; never from the form.
IDENTITY_FIELDS = {"company_name": "name", "credit_code": "credit_code"}

# What a posted form never sets: the identity, and the fields the workflow owns.
FORM_FIELDS_NOT_EDITABLE = frozenset({
    *IDENTITY_FIELDS, "id", "public_id", "campaign", "enterprise", "district", "status", "submitted_at",
    "decided_at", "decision_reason", "created_at", "updated_at",
})

# Versions of the stamped scan kept per application: enough for honest corrections, not a file store.
MAX_SCAN_VERSIONS = 10

# What must be filled in before the form can be submitted (其他 may stay empty).
REQUIRED_FOR_SUBMISSION = [
    "company_name", "industry", "address", "ownership_type", "credit_code", "postal_code", "founded_on",
    "registered_capital", "main_products", "output_value", "total_profit_1", "total_profit_2", "total_profit_3",
    "quality_management_certified", "environmental_management_certified", "occupational_health_safety_certified",
    "energy_management_certified", "major_accident", "preparer_name", "preparer_phone", "profile_text",
    "independent_legal_person", "green_investment_amount", "commitment_signatory", "commitment_date",
]


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
    from accounts.models import District

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
    from accounts.models import User

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
    reason = _require_reason(reason)
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


# --- The ban of article 18 -------------------------------------------------------------------------------------------


def ban_in_force(organisation, day=None):
    day = day or timezone.localdate()
    return ApplicationBan.objects.filter(organisation=organisation).in_force_on(day).order_by("-ends_on").first()


def _refuse_if_banned(organisation):
    ban = ban_in_force(organisation)
    if ban:
        raise ValidationError(
            _("您单位的称号已于%(start)s被撤销（%(reason)s），按《认定管理办法》第十八条，%(end)s前不得重新申报。")
            % {"start": ban.starts_on, "reason": clause(ban.reason), "end": ban.ends_on},
            code="banned",
        )


# --- Intake applications ---------------------------------------------------------------------------------------------


def _refuse_if_closed(campaign, now=None):
    now = now or timezone.now()
    if timezone.localdate(now) < campaign.opens_on:
        raise ValidationError(_("本年度入库申请将于%(date)s开始，目前尚不能填报。") % {"date": campaign.opens_on},
                              code="not_open")
    if campaign.closed_at and campaign.closed_at <= now and campaign.closed_at < campaign.deadline_ends_at():
        raise ValidationError(campaign_closing_message(campaign), code="closed_early")
    if now > campaign.closes_at():
        raise ValidationError(_("本年度入库申请已于%(date)s截止，不能再提交。") % {"date": campaign.deadline},
                              code="closed")


@transaction.atomic
def intake_start(*, campaign, actor, request=None) -> IntakeApplication:
    """Start a draft for the actor's enterprise, pre-filled from its profile. One per enterprise and campaign."""
    if not access.is_enterprise_member(actor):
        raise PermissionDenied(_("只有企业账号可以填报入库申请。"))
    enterprise = actor.organisation.enterprise
    if campaign.district_id and campaign.district_id != enterprise.district_id:
        raise PermissionDenied(_("该年度培育工作不面向您单位所在区县。"))
    _refuse_if_closed(campaign)
    _refuse_if_banned(enterprise)
    if LibraryEntry.objects.filter(enterprise=enterprise, campaign__year=campaign.year).exists():
        raise ValidationError(_("您单位已在%(year)d年培育库中，无需重复申请。") % {"year": campaign.year},
                              code="already_in_library")
    existing = IntakeApplication.objects.filter(campaign=campaign, enterprise=enterprise).first()
    if existing:
        return existing
    values = {field: getattr(enterprise, source) for field, source in PROFILE_FIELDS.items()}
    try:
        with transaction.atomic():
            application = IntakeApplication.objects.create(
                campaign=campaign, enterprise=enterprise, district=enterprise.district,
                preparer_name=actor.full_name, preparer_phone=actor.phone, **values,
            )
    except IntegrityError:
        # A double click started it twice: the unique constraint kept one.
        return IntakeApplication.objects.get(campaign=campaign, enterprise=enterprise)
    audit_record(action=AuditAction.CREATED, actor=actor, obj=application, request=request,
                 detail={"created": True, "to": application.status})
    intake_clock_open(application)
    return application


def _detail_url(application) -> str:
    return reverse("applications:intake_detail", args=[application.public_id])


def _locked(application) -> IntakeApplication:
    try:
        return lock(application, related=("campaign",))
    except TransitionConflict:
        # Deleted meanwhile (a draft deleted in another tab): nothing to act on.
        raise TransitionConflict(_("该申请已不存在（草稿可能已被删除），本次操作未执行。")) from None


def _conflict(application, message=None) -> TransitionConflict:
    """A stale or repeated action: 409, with the state it is in now and a link back to the record."""
    return state_conflict(application, url=_detail_url(application), message=message or (
        _("该申请当前状态为“%(state)s”，不能执行此操作，可能已由他人处理。本次操作未执行，"
          "请返回申请查看最新情况。") % {"state": application.get_status_display()}))


def _fire(application, name, *, actor, request, comment="", detail=None, messages=(), guards=()):
    """Fire on the row the caller locked (``_locked``): permission, state, guards, record, messages."""
    return fire(application, name, actor=actor, comment=comment, request=request, detail=detail, messages=messages,
                guards=guards, locked=True, url=_detail_url(application),
                conflict_message=_("该申请当前状态为“%(state)s”，不能执行此操作，可能已由他人处理。本次操作未执行，"
                                   "请返回申请查看最新情况。") % {"state": application.get_status_display()})


def _refuse_unless_editor(application, actor):
    # Permission before state: a wrong-role request learns nothing about where the case stands (403, not 409).
    if not access.can_edit_intake(actor, application):
        raise PermissionDenied(_("您无权办理该申请。"))


def _refuse_unless_decider(application, actor):
    if not access.can_decide_intake(actor, application):
        raise PermissionDenied(_("您无权审核该申请。"))


def _copy_registered_identity(application):
    """The applicant is the enterprise as registered and approved by its district, not what a form says."""
    enterprise = application.enterprise
    for field, source in IDENTITY_FIELDS.items():
        setattr(application, field, getattr(enterprise, source))


@transaction.atomic
def intake_save(*, application, actor, data: dict) -> IntakeApplication:
    """Save the form as a draft. Only drafts change; a stale form posted after submission answers 409. Identity
    fields posted with the form are ignored: they are copied from the registered profile on every save."""
    application = _locked(application)
    _refuse_unless_editor(application, actor)
    if application.status != IntakeStatus.DRAFT:
        raise _conflict(application, _(
            "该申请已提交（当前状态：%(state)s），您在此之前打开的表单未保存。如需修改，请返回申请查看；"
            "已提交的申请只有在区县经信部门退回后才能修改。") % {"state": application.get_status_display()})
    for field, value in data.items():
        if field in FORM_FIELDS_NOT_EDITABLE:
            continue
        setattr(application, field, value)
    _copy_registered_identity(application)
    try:
        application.full_clean(exclude=["status"])
    except ValidationError as error:
        raise _plain_model_errors(application, error) from error
    application.save()
    return application


def _field_label(application, field) -> str:
    campaign = application.campaign
    if field == "output_value":
        return _("%(year)d年产值（万元）") % {"year": campaign.output_year}
    if field.startswith("total_profit_") and field[-1].isdigit():
        return _("%(year)d年利润总额（万元）") % {"year": campaign.profit_years[int(field[-1]) - 1]}
    return str(IntakeApplication._meta.get_field(field).verbose_name)


def _plain_model_errors(application, error: ValidationError) -> ValidationError:
    """The model's own checks in the portal's words, naming the field (never Django's stock "此字段不能为空。"): the
    field validators already speak plainly; the checks Django adds by itself (empty, length, choice) are reworded."""
    if not hasattr(error, "error_dict"):
        return error
    plain = {}
    for field, errors in error.error_dict.items():
        if field not in {f.name for f in IntakeApplication._meta.fields}:
            plain[field] = errors
            continue
        label = _field_label(application, field)
        model_field = IntakeApplication._meta.get_field(field)
        reworded = []
        for item in errors:
            if item.code in ("blank", "null"):
                reworded.append(ValidationError(_missing_message(field, label), code=item.code))
            elif item.code == "max_length":
                reworded.append(ValidationError(_("“%(field)s”最多%(limit)d个字，请删减后再保存。")
                                                % {"field": label, "limit": model_field.max_length}, code="max_length"))
            elif item.code == "invalid_choice":
                reworded.append(ValidationError(_("“%(field)s”的值无效，请检查后重新填写。") % {"field": label},
                                                code=item.code))
            else:
                reworded.append(item)
        plain[field] = reworded
    return ValidationError(plain)


@dataclass(frozen=True)
class CriterionOutcome:
    criterion: str
    result: str
    reason: str
    # The answer the criterion needs is not filled in yet (only a draft can be in this state).
    incomplete: bool = False

    @property
    def label(self) -> str:
        return EntryCriterion(self.criterion).label


def entry_criteria_evaluate(application) -> list[CriterionOutcome]:
    """二、入库标准 1–5, each met / not met / for the official's judgement, with its reason. Criterion 1 judges the
    credit code on the application, which submission copies from the registered profile."""
    outcomes = []
    # 1. Registered in the district, independent legal person.
    enterprise = application.enterprise
    if application.independent_legal_person is False:
        outcomes.append(CriterionOutcome("1", CriterionResult.NOT_MET, _("企业填报不具有独立法人资格。")))
    elif enterprise.district_id != application.district_id:
        outcomes.append(CriterionOutcome("1", CriterionResult.NOT_MET, _("企业登记注册地不在本区县。")))
    else:
        # The code on the form against the district that screens it.
        warnings = credit_code_warnings(SimpleNamespace(credit_code=application.credit_code,
                                                        district=application.district))
        if warnings:
            outcomes.append(CriterionOutcome("1", CriterionResult.JUDGEMENT, " ".join(warnings)))
        else:
            outcomes.append(CriterionOutcome(
                "1", CriterionResult.MET,
                _("在%(district)s登记注册，具有独立法人资格。") % {"district": application.district.name},
                incomplete=application.independent_legal_person is None))
    # 2. Annual output over 5000万元.
    output = application.output_value
    year = application.campaign.output_year
    if output is None:
        outcomes.append(CriterionOutcome("2", CriterionResult.NOT_MET, _("尚未填报%(year)d年产值。") % {"year": year},
                                         incomplete=True))
    elif output > OUTPUT_THRESHOLD:
        outcomes.append(CriterionOutcome("2", CriterionResult.MET, _("%(year)d年产值%(value)s万元，超过5000万元。")
                                         % {"year": year, "value": output}))
    else:
        outcomes.append(CriterionOutcome(
            "2", CriterionResult.NOT_MET, _("%(year)d年产值%(value)s万元，未超过5000万元。")
            % {"year": year, "value": output}))
    # 3. Profitable in each of the last three years.
    losses = [str(year) for year, profit in application.profits if profit is not None and profit <= 0]
    unanswered = [str(year) for year, profit in application.profits if profit is None]
    if losses:
        outcomes.append(CriterionOutcome("3", CriterionResult.NOT_MET,
                                         _("%(years)s年利润总额不为正。") % {"years": join_list(losses)}))
    elif unanswered:
        outcomes.append(CriterionOutcome("3", CriterionResult.NOT_MET,
                                         _("尚未填报%(years)s年利润总额。") % {"years": join_list(unanswered)},
                                         incomplete=True))
    else:
        outcomes.append(CriterionOutcome("3", CriterionResult.MET, _("近三年利润总额均为正。")))
    # 4. No major quality, safety or environmental accident.
    if application.major_accident is False:
        outcomes.append(CriterionOutcome("4", CriterionResult.MET, _("企业声明近三年未发生较大事故。")))
    elif application.major_accident is None:
        outcomes.append(CriterionOutcome("4", CriterionResult.NOT_MET, _("尚未填报近三年是否发生较大事故。"),
                                         incomplete=True))
    else:
        outcomes.append(CriterionOutcome("4", CriterionResult.NOT_MET, _("企业填报近三年发生过较大事故。")))
    # 5. Willingness to invest in 节能节水、低碳环保、清洁生产、综合利用.
    amount = application.green_investment_amount
    areas = application.green_investment_area_labels()
    if amount and amount > 0 and areas:
        outcomes.append(CriterionOutcome("5", CriterionResult.MET, _("计划投资%(amount)s万元用于%(areas)s。")
                                         % {"amount": amount, "areas": join_list(areas)}))
    elif areas and amount is not None and amount == 0:
        outcomes.append(CriterionOutcome("5", CriterionResult.JUDGEMENT,
                                         _("填报了改造投资方向，但计划投资为0万元，请区县判断改造投资意愿。")))
    elif areas or (amount and amount > 0):
        outcomes.append(CriterionOutcome("5", CriterionResult.JUDGEMENT,
                                         _("投资金额或方向填报不完整，请区县判断改造投资意愿。"),
                                         incomplete=amount is None))
    elif amount is not None and amount == 0:
        # An answer, not a gap: the enterprise plans no investment.
        outcomes.append(CriterionOutcome("5", CriterionResult.NOT_MET, _("计划绿色化改造投资为0万元。")))
    else:
        outcomes.append(CriterionOutcome("5", CriterionResult.NOT_MET, _("未填报绿色化改造投资计划。"),
                                         incomplete=amount is None))
    return outcomes


def entry_criteria_warnings(application) -> list[CriterionOutcome]:
    """The criteria a draft, as saved, would not meet: the enterprise is told before it submits (submission is
    still allowed, the district decides). Criteria whose answers are not filled in yet are left to the list of
    missing fields."""
    return [o for o in entry_criteria_evaluate(application) if o.result != CriterionResult.MET and not o.incomplete]


def _missing_for_submission(application) -> list[tuple[str, str]]:
    """(field name, label) of each field the submission needs and the draft leaves empty, in the form's order: the
    form links to each and highlights it."""
    campaign = application.campaign
    labels = {"output_value": _("%(year)d年产值（万元）") % {"year": campaign.output_year}}
    for number, year in enumerate(campaign.profit_years, start=1):
        labels[f"total_profit_{number}"] = _("%(year)d年利润总额（万元）") % {"year": year}
    missing = []
    for field in REQUIRED_FOR_SUBMISSION:
        value = getattr(application, field if field != "industry" else "industry_id")
        if value is None or value == "":
            missing.append((field, str(labels.get(field) or IntakeApplication._meta.get_field(field).verbose_name)))
    if not application.commitment_accepted:
        missing.append(("commitment_accepted", _("承诺")))
    return missing


def _criteria_numbers(criteria) -> str:
    return join_list(c.criterion for c in criteria)


def _missing_message(field, label):
    model_field = IntakeApplication._meta.get_field(field)
    if field == "commitment_accepted":
        return _("请阅读并勾选“%(field)s”。") % {"field": label}
    if model_field.choices or model_field.is_relation or model_field.get_internal_type() == "BooleanField":
        return _("请选择“%(field)s”。") % {"field": label}
    return _("请填写“%(field)s”。") % {"field": label}


@transaction.atomic
def intake_submit(*, application, actor, acknowledged_criteria=None, request=None) -> IntakeApplication:
    """Submit before the deadline; the registered identity is copied onto the application (the snapshot the
    criteria judge and the printed form shows); the entry criteria are judged and stored; the district's officials
    are told.

    ``acknowledged_criteria``: the numbers of the failing criteria the enterprise was shown with the submit button.
    When given (the form does), a failing criterion the enterprise has not been shown refuses the submission
    (ValidationError ``criteria_not_acknowledged``) so that it is warned first; the draft stays saved."""
    application = _locked(application)
    _refuse_unless_editor(application, actor)
    if application.status != IntakeStatus.DRAFT:
        raise _conflict(application)
    _refuse_if_closed(application.campaign)
    _refuse_if_banned(application.enterprise)
    _copy_registered_identity(application)
    missing = _missing_for_submission(application)
    if missing:
        # Keyed by field, so that the form lists them at the top in its order and highlights each one.
        raise ValidationError({field: ValidationError(_missing_message(field, label), code="incomplete")
                               for field, label in missing})
    # The reasons are stored and read by the district: judged in the portal's language, whoever submits.
    with portal_language():
        outcomes = entry_criteria_evaluate(application)
    if acknowledged_criteria is not None:
        unseen = [o for o in outcomes if o.result != CriterionResult.MET and o.criterion not in acknowledged_criteria]
        if unseen:
            raise ValidationError(
                _("按您填报的内容，入库标准第%(numbers)s项不符合或需区县人工判断（见提交按钮上方的提示）。"
                  "仍可提交，由区县经信部门决定是否入库；请确认后再次点击“提交申请”。")
                % {"numbers": _criteria_numbers(unseen)}, code="criteria_not_acknowledged")
    not_met = [o.criterion for o in outcomes if o.result != CriterionResult.MET]
    with portal_language():
        message = Message(
            recipients=lambda: district_officials(application.district_id),
            title=_("入库申请待审核：%(name)s") % {"name": application.company_name},
            body=_("%(name)s 提交了%(year)d年绿色工厂培育入库申请。") % {"name": application.company_name,
                                                                 "year": application.campaign.year},
            url=_detail_url(application), kind=MessageKind.TASK,
        )
    _fire(application, "submit", actor=actor, request=request, messages=[message], detail={
        "criteria_not_met": not_met,
        "identity": {"company_name": application.company_name, "credit_code": application.credit_code}})
    now = timezone.now()
    for outcome in outcomes:
        EntryCriterionResult.objects.update_or_create(
            application=application, criterion=outcome.criterion,
            defaults={"result": outcome.result, "reason": outcome.reason, "evaluated_at": now},
        )
    return application


def _review_messages_handled(application):
    """The district's inbox messages asking to review this application are done with once it has left the queue
    (decided, or withdrawn by the enterprise): they no longer show as unread to-dos."""
    Notification.objects.filter(
        recipient__in=district_officials(application.district_id), url=_detail_url(application),
        read_at__isnull=True,
    ).update(read_at=timezone.now())


def _enterprise_users(application):
    return application.enterprise.users.filter(is_active=True)


def _locked_for_decision(application, actor) -> IntakeApplication:
    application = _locked(application)
    _refuse_unless_decider(application, actor)
    if application.status != IntakeStatus.SUBMITTED:
        raise _conflict(application)
    return application


@in_portal_language
def _decide(*, application, actor, name, reason, request, title, body_template, **audit_extra):
    """Fire the decision, record it and tell the enterprise. ``title`` and ``body_template`` are message ids
    (gettext_noop), translated here in the portal's language: the enterprise reads them, not the official."""
    message = Message(
        recipients=lambda: _enterprise_users(application),
        title=_(title) % {"name": application.company_name},
        body=_(body_template) % {"name": application.company_name, "reason": reason or "—"},
        url=_detail_url(application), kind=MessageKind.DECISION,
    )
    _fire(application, name, actor=actor, request=request, comment=reason, detail=audit_extra, messages=[message])
    _review_messages_handled(application)
    return application


def _override_prefix(failing) -> str:
    """What precedes the official's reason in the stored comment of an admission against failing criteria: stored
    text, so in the portal's language whatever the official reads."""
    with portal_language():
        return _("不符合入库标准第%(numbers)s项，纳入理由：") % {"numbers": _criteria_numbers(failing)}


def accept_reason_limit(failing) -> int:
    """The longest reason an official may type to admit a case failing ``failing`` (criteria results): the stored
    comment (prefix and reason) stays within ``COMMENT_MAX_LENGTH``; the prefix is always in the portal's language, so
    the form and the service agree to the character."""
    return COMMENT_MAX_LENGTH - (len(_override_prefix(failing)) if failing else 0)


def criteria_not_met(application) -> list[EntryCriterionResult]:
    """The stored criteria a submitted application does not meet, or that need the official's judgement."""
    return [c for c in application.criteria.all() if c.result != CriterionResult.MET]


@transaction.atomic
def intake_accept(*, application, actor, comment="", request=None) -> IntakeApplication:
    """Accept into the district's cultivation library. The stamped scan must be on file first.

    Admitting a case that does not meet an entry criterion — or one the portal left to the official's judgement
    (需人工判断: the data did not establish it, so admitting is a judgement that must be on file the same way) —
    needs a written reason; it is stored as the decision's comment (the case page, the history, the audit record)
    with the criteria it overrides."""
    application = _locked_for_decision(application, actor)
    if application.current_scan() is None:
        raise ValidationError(_("企业尚未上传本次提交的盖章扫描件，不能入库。"), code="no_scan")
    if LibraryEntry.objects.filter(enterprise_id=application.enterprise_id,
                                   campaign__year=application.campaign.year).exists():
        raise ValidationError(_("该企业已在%(year)d年培育库中。") % {"year": application.campaign.year},
                              code="already_in_library")
    comment = (comment or "").strip()
    failing = criteria_not_met(application)
    if failing and not comment:
        raise ValidationError({"reason": _(
            "该申请入库标准第%(numbers)s项不符合或需人工判断，纳入培育库须填写理由。")
            % {"numbers": _criteria_numbers(failing)}}, code="override_reason_required")
    limit = accept_reason_limit(failing)
    if len(comment) > limit:
        # The limit of what the official typed, not of the stored comment with its prefix: the count they see is
        # the count of their own text.
        raise ValidationError({"reason": _("“纳入理由”最多%(limit)d个字，现有%(count)d个字，请删减后再提交。")
                               % {"limit": limit, "count": len(comment)}}, code="max_length")
    if failing:
        # The admission note is stored (case page, history, audit): in the portal's language.
        comment = _override_prefix(failing) + comment
    application = _decide(
        application=application, actor=actor, name="accept", reason=comment, request=request,
        title=gettext_noop("入库申请已通过：%(name)s"), body_template=gettext_noop("%(name)s 已纳入绿色工厂培育库。"),
        criteria_overridden=[c.criterion for c in failing],
    )
    LibraryEntry.objects.create(
        application=application, campaign=application.campaign, enterprise=application.enterprise,
        district=application.district, industry=application.industry, sector=application.industry.sector,
    )
    return application


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写原因。")})
    return reason


@transaction.atomic
def intake_return(*, application, actor, reason, request=None) -> IntakeApplication:
    application = _locked_for_decision(application, actor)
    _decide(
        application=application, actor=actor, name="return_for_changes", reason=_require_reason(reason),
        request=request, title=gettext_noop("入库申请被退回修改：%(name)s"),
        body_template=gettext_noop("%(name)s 的入库申请被退回修改，原因：%(reason)s"),
    )
    intake_clock_open(application)
    return application


@transaction.atomic
def intake_reject(*, application, actor, reason, request=None) -> IntakeApplication:
    application = _locked_for_decision(application, actor)
    return _decide(
        application=application, actor=actor, name="reject", reason=_require_reason(reason), request=request,
        title=gettext_noop("入库申请未通过：%(name)s"),
        body_template=gettext_noop("%(name)s 的入库申请未通过，原因：%(reason)s"),
    )


@transaction.atomic
def intake_reopen(*, application, actor, request=None) -> IntakeApplication:
    """A returned application goes back to draft for the enterprise to correct."""
    application = _locked(application)
    _refuse_unless_editor(application, actor)
    return _fire(application, "reopen", actor=actor, request=request)


@transaction.atomic
def intake_withdraw(*, application, actor, request=None) -> IntakeApplication:
    """Withdraw a submitted application (or a returned one being corrected): the district no longer screens it,
    and only the district can reopen it, before the deadline. A draft never submitted is deleted instead."""
    application = _locked(application)
    _refuse_unless_editor(application, actor)
    if application.status == IntakeStatus.DRAFT and not application.has_been_submitted:
        raise _conflict(application, _("该申请尚未提交，无需撤回；如不再申请，可删除草稿。"))
    source = application.status
    _fire(application, "withdraw", actor=actor, request=request)
    if source == IntakeStatus.SUBMITTED:
        _review_messages_handled(application)
    return application


@transaction.atomic
def intake_delete(*, application, actor, request=None) -> None:
    """Delete a draft that was never submitted, so that the enterprise can start again from the campaign. Nobody
    else has seen it; a case the district has seen is withdrawn instead, so that its record stays."""
    application = _locked(application)
    _refuse_unless_editor(application, actor)
    if application.status != IntakeStatus.DRAFT or application.has_been_submitted:
        raise _conflict(application, _("该申请已提交过，不能删除（当前状态：%(state)s）。")
                        % {"state": application.get_status_display()})
    audit_record(action=AuditAction.DELETED, actor=actor, obj=application, request=request,
                 detail={"from": IntakeStatus.DRAFT, "to": "deleted"})
    intake_clock_close(application, by="intake_delete")
    application.delete()


@transaction.atomic
def intake_reinstate(*, application, actor, reason, request=None) -> IntakeApplication:
    """The district reopens a withdrawn application as a draft, before the campaign's deadline, with a reason; the
    enterprise is told to check it and submit again."""
    application = _locked(application)
    _refuse_unless_decider(application, actor)
    if application.status != IntakeStatus.WITHDRAWN:
        raise _conflict(application)
    reason = _require_reason(reason)
    campaign = application.campaign
    if timezone.now() > campaign.closes_at():
        raise ValidationError(_("本年度入库申请已于%(date)s截止，撤回的申请不能再恢复。") % {"date": campaign.deadline},
                              code="closed")
    with portal_language():
        message = Message(
            recipients=lambda: _enterprise_users(application),
            title=_("入库申请已恢复：%(name)s") % {"name": application.company_name},
            body=_("区县经信部门已恢复%(name)s的入库申请（原因：%(reason)s）。申请已回到草稿，请核对后于%(date)s "
                   "24时前重新提交。") % {"name": application.company_name, "reason": clause(reason),
                                      "date": campaign.deadline},
            url=_detail_url(application), kind=MessageKind.DECISION,
        )
    _fire(application, "reinstate", actor=actor, request=request, comment=reason, messages=[message])
    intake_clock_open(application)
    return application


@transaction.atomic
def scan_upload(*, application, actor, uploaded_file, request=None) -> StampedScan:
    """Store the stamped scan of the current submission through the one document write path (save_upload: checked
    by content, hashed, stored under a generated name, numbered as the application's next version, audited as an
    upload); earlier versions are kept.
    Raises PermissionDenied, ValidationError (not submitted yet, too many versions, a file refused by its content)
    and TransitionConflict (the application has moved on)."""
    application = _locked(application)
    if not access.can_edit_intake(actor, application):
        raise PermissionDenied(_("您无权上传该申请的扫描件。"))
    if application.status == IntakeStatus.DRAFT:
        raise ValidationError(_("请先提交申请，再下载申请表打印、签字盖章并上传扫描件。"), code="not_submitted")
    if application.status != IntakeStatus.SUBMITTED:
        raise _conflict(application, _("该申请当前状态为“%(state)s”，不能再上传扫描件。")
                        % {"state": application.get_status_display()})
    if StampedScan.objects.filter(application=application).count() >= MAX_SCAN_VERSIONS:
        raise ValidationError(_("扫描件最多上传%(n)d次，如需更换请联系区县经信部门。") % {"n": MAX_SCAN_VERSIONS},
                              code="too_many_versions")
    return save_upload(uploaded_file, StampedScan(application=application), actor=actor, request=request)


# --- Documents the portal renders or exports -------------------------------------------------------------------------


def intake_form_pdf(*, application, actor, request=None) -> tuple[bytes, str]:
    """The intake form (附件：绿色工厂培育入库申请表) as the official table prints it, and its file name; the download
    is audited."""
    from greenfactory.pdf import render_pdf  # WeasyPrint: heavy, loaded only when a PDF is asked for

    domestic = [OwnershipType.STATE, OwnershipType.COLLECTIVE, OwnershipType.PRIVATE]
    pdf = render_pdf("pdf/intake_form.html", {
        "application": application,
        # The form prints 内资（国有 集体 民营） then the other three, as the official table does.
        "ownership_domestic": list(zip(domestic, [_("国有"), _("集体"), _("民营")], strict=True)),
        "ownership_other": [(c, c.label) for c in OwnershipType if c not in domestic],
    })
    audit_record(action=AuditAction.DOWNLOAD, actor=actor, obj=application, request=request,
                 detail={"document": "intake_form.pdf"})
    return pdf, _("绿色工厂培育入库申请表-%(name)s.pdf") % {"name": application.applicant_name}


# The columns officials use. 联系人 and 联系电话 are the preparer's from the form: the export is for officials only
# (view_library). The cultivation scores join these columns when the cultivation assessment arrives.
LIBRARY_COLUMNS = [
    Column(gettext_lazy("培育年度"), 10), Column(gettext_lazy("区县"), 14), Column(gettext_lazy("公司名称"), 36),
    Column(gettext_lazy("统一社会信用代码"), 22), Column(gettext_lazy("所属行业"), 24),
    Column(gettext_lazy("重点行业"), 14), Column(gettext_lazy("产值（万元）"), 14, "#,##0.00"),
    Column(gettext_lazy("联系人"), 12), Column(gettext_lazy("联系电话"), 16), Column(gettext_lazy("培育状态"), 14),
    Column(gettext_lazy("入库时间"), 12, "yyyy-mm-dd"),
]


def _library_rows(entries):
    for entry in entries.iterator(chunk_size=500):
        application = entry.application
        yield [entry.campaign.year, entry.district.name, entry.enterprise.name, entry.enterprise.credit_code,
               entry.industry.name, entry.get_sector_display(), application.output_value, application.preparer_name,
               application.preparer_phone, entry.get_status_display(), timezone.localtime(entry.entered_at).date()]


def library_export(*, actor, entries, filters: dict, request=None) -> bytes:
    """The library rows the official sees (``entries``, already scoped and filtered) as an Excel workbook; the export
    is audited with its row count and the filters as applied."""
    exported = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    year = filters.get("year")
    if year:
        title = _("绿色工厂培育库（%(year)d年，导出时间%(time)s）") % {"year": year, "time": exported}
    else:
        title = _("绿色工厂培育库（全部年度，导出时间%(time)s）") % {"time": exported}
    content, count = workbook_bytes(sheet_title=_("培育库"), title=title, columns=LIBRARY_COLUMNS,
                                    rows=_library_rows(entries))
    # The filters as applied (parsed by the form), never the raw query string: a NUL byte cannot be stored.
    applied = {name: str(getattr(value, "pk", value)) for name, value in filters.items() if value not in (None, "")}
    audit_record(action=AuditAction.EXPORT, actor=actor, request=request, detail={"rows": count, "filters": applied})
    return content
