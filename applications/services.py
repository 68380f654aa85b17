"""Writes for campaigns, intake applications and the cultivation library.

Each service runs in one transaction, re-reads the application under a row lock before a transition, records the
transition (django-fsm-log) and an audit event, and notifies after commit. Business rules raise ValidationError
(shown on the form) or TransitionConflict (409).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditAction, Role
from accounts.selectors import credit_code_warnings
from accounts.services import audit_record, district_officials, notification_send
from applications import access
from applications.models import (
    OUTPUT_THRESHOLD,
    ApplicationBan,
    CampaignTarget,
    CriterionResult,
    CultivationCampaign,
    EntryCriterionResult,
    IntakeApplication,
    IntakeStatus,
    LibraryEntry,
    StampedScan,
)
from greenfactory.workflow import transition_fire

# Fields copied from the enterprise's profile when an application is started (the form's first block).
PROFILE_FIELDS = {
    "company_name": "name", "industry": "industry", "address": "address", "ownership_type": "ownership_type",
    "credit_code": "credit_code", "postal_code": "postal_code", "founded_on": "founded_on",
    "registered_capital": "registered_capital", "main_products": "main_products",
}

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
    audit_record(action=AuditAction.TRANSITION, actor=actor, obj=campaign, request=request,
                 detail={"created": True, "year": campaign.year})
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
            % {"start": ban.starts_on, "reason": ban.reason, "end": ban.ends_on},
            code="banned",
        )


# --- Intake applications ---------------------------------------------------------------------------------------------


def _refuse_if_closed(campaign, now=None):
    now = now or timezone.now()
    if timezone.localdate(now) < campaign.opens_on:
        raise ValidationError(_("本年度入库申请将于%(date)s开始，目前尚不能填报。") % {"date": campaign.opens_on},
                              code="not_open")
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
    audit_record(action=AuditAction.TRANSITION, actor=actor, obj=application, request=request,
                 detail={"created": True, "to": application.status})
    return application


def _locked(application) -> IntakeApplication:
    return IntakeApplication.objects.select_for_update().select_related("campaign").get(pk=application.pk)


@transaction.atomic
def intake_save(*, application, actor, data: dict) -> IntakeApplication:
    """Save the form as a draft. Only drafts change; a stale form posted after submission answers 409."""
    application = _locked(application)
    if not access.can_edit_intake(actor, application):
        raise PermissionDenied(_("您无权修改该申请。"))
    if application.status != IntakeStatus.DRAFT:
        from greenfactory.workflow import TransitionConflict

        raise TransitionConflict(
            _("该申请当前状态为“%(state)s”，不能再修改。") % {"state": application.get_status_display()}
        )
    for field, value in data.items():
        setattr(application, field, value)
    application.full_clean(exclude=["status"])
    application.save()
    return application


@dataclass(frozen=True)
class CriterionOutcome:
    criterion: str
    result: str
    reason: str


def entry_criteria_evaluate(application) -> list[CriterionOutcome]:
    """二、入库标准 1–5, each met / not met / for the official's judgement, with its reason."""
    outcomes = []
    # 1. Registered in the district, independent legal person.
    enterprise = application.enterprise
    if application.independent_legal_person is False:
        outcomes.append(CriterionOutcome("1", CriterionResult.NOT_MET, _("企业填报不具有独立法人资格。")))
    elif enterprise.district_id != application.district_id:
        outcomes.append(CriterionOutcome("1", CriterionResult.NOT_MET, _("企业登记注册地不在本区县。")))
    else:
        warnings = credit_code_warnings(enterprise)
        if warnings:
            outcomes.append(CriterionOutcome("1", CriterionResult.JUDGEMENT, " ".join(warnings)))
        else:
            outcomes.append(CriterionOutcome(
                "1", CriterionResult.MET,
                _("在%(district)s登记注册，具有独立法人资格。") % {"district": application.district.name}))
    # 2. Annual output over 5000万元.
    output = application.output_value
    if output is not None and output > OUTPUT_THRESHOLD:
        outcomes.append(CriterionOutcome("2", CriterionResult.MET, _("%(year)d年产值%(value)s万元，超过5000万元。")
                                         % {"year": application.campaign.output_year, "value": output}))
    else:
        outcomes.append(CriterionOutcome(
            "2", CriterionResult.NOT_MET, _("%(year)d年产值%(value)s万元，未超过5000万元。")
            % {"year": application.campaign.output_year, "value": output}))
    # 3. Profitable in each of the last three years.
    losses = [str(year) for year, profit in application.profits if profit is None or profit <= 0]
    if losses:
        outcomes.append(CriterionOutcome("3", CriterionResult.NOT_MET,
                                         _("%(years)s年利润总额不为正。") % {"years": "、".join(losses)}))
    else:
        outcomes.append(CriterionOutcome("3", CriterionResult.MET, _("近三年利润总额均为正。")))
    # 4. No major quality, safety or environmental accident.
    if application.major_accident is False:
        outcomes.append(CriterionOutcome("4", CriterionResult.MET, _("企业声明近三年未发生较大事故。")))
    else:
        outcomes.append(CriterionOutcome("4", CriterionResult.NOT_MET, _("企业填报近三年发生过较大事故。")))
    # 5. Willingness to invest in 节能节水、低碳环保、清洁生产、综合利用.
    amount = application.green_investment_amount
    areas = application.green_investment_area_labels()
    if amount and amount > 0 and areas:
        outcomes.append(CriterionOutcome("5", CriterionResult.MET, _("计划投资%(amount)s万元用于%(areas)s。")
                                         % {"amount": amount, "areas": "、".join(areas)}))
    elif areas or (amount and amount > 0):
        outcomes.append(CriterionOutcome("5", CriterionResult.JUDGEMENT,
                                         _("投资金额或方向填报不完整，请区县判断改造投资意愿。")))
    else:
        outcomes.append(CriterionOutcome("5", CriterionResult.NOT_MET, _("未填报绿色化改造投资计划。")))
    return outcomes


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


def _missing_message(field, label):
    model_field = IntakeApplication._meta.get_field(field)
    if field == "commitment_accepted":
        return _("请阅读并勾选“%(field)s”。") % {"field": label}
    if model_field.choices or model_field.is_relation or model_field.get_internal_type() == "BooleanField":
        return _("请选择“%(field)s”。") % {"field": label}
    return _("请填写“%(field)s”。") % {"field": label}


@transaction.atomic
def intake_submit(*, application, actor, request=None) -> IntakeApplication:
    """Submit before the deadline; the entry criteria are judged and stored; the district's officials are told."""
    application = _locked(application)
    if not access.can_edit_intake(actor, application):
        raise PermissionDenied(_("您无权提交该申请。"))
    _refuse_if_closed(application.campaign)
    _refuse_if_banned(application.enterprise)
    missing = _missing_for_submission(application)
    if missing and application.status == IntakeStatus.DRAFT:
        # Keyed by field, so that the form lists them at the top in its order and highlights each one.
        raise ValidationError({field: ValidationError(_missing_message(field, label), code="incomplete")
                               for field, label in missing})
    transition_fire(instance=application, name="submit", actor=actor)
    now = timezone.now()
    for outcome in entry_criteria_evaluate(application):
        EntryCriterionResult.objects.update_or_create(
            application=application, criterion=outcome.criterion,
            defaults={"result": outcome.result, "reason": outcome.reason, "evaluated_at": now},
        )
    audit_record(action=AuditAction.TRANSITION, actor=actor, obj=application, request=request,
                 detail={"transition": "submit", "to": application.status})
    notification_send(
        recipients=district_officials(application.district_id),
        title=_("入库申请待审核：%(name)s") % {"name": application.company_name},
        body=_("%(name)s 提交了%(year)d年绿色工厂培育入库申请。") % {"name": application.company_name,
                                                             "year": application.campaign.year},
        url=reverse("applications:intake_detail", args=[application.public_id]),
    )
    return application


def _enterprise_users(application):
    return application.enterprise.users.filter(is_active=True)


def _decide(*, application, actor, name, reason, request, title, body_template):
    application = _locked(application)
    transition_fire(instance=application, name=name, actor=actor, comment=reason)
    audit_record(action=AuditAction.TRANSITION, actor=actor, obj=application, request=request,
                 detail={"transition": name, "to": application.status, "reason": reason})
    notification_send(
        recipients=_enterprise_users(application),
        title=title % {"name": application.company_name},
        body=body_template % {"name": application.company_name, "reason": reason or "—"},
        url=reverse("applications:intake_detail", args=[application.public_id]),
    )
    return application


@transaction.atomic
def intake_accept(*, application, actor, comment="", request=None) -> IntakeApplication:
    """Accept into the district's cultivation library. The stamped scan must be on file first."""
    if application.current_scan() is None:
        raise ValidationError(_("企业尚未上传本次提交的盖章扫描件，不能入库。"), code="no_scan")
    if LibraryEntry.objects.filter(enterprise_id=application.enterprise_id,
                                   campaign__year=application.campaign.year).exists():
        raise ValidationError(_("该企业已在%(year)d年培育库中。") % {"year": application.campaign.year},
                              code="already_in_library")
    application = _decide(
        application=application, actor=actor, name="accept", reason=comment, request=request,
        title=_("入库申请已通过：%(name)s"), body_template=_("%(name)s 已纳入绿色工厂培育库。"),
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
    return _decide(
        application=application, actor=actor, name="return_for_changes", reason=_require_reason(reason),
        request=request, title=_("入库申请被退回修改：%(name)s"),
        body_template=_("%(name)s 的入库申请被退回修改，原因：%(reason)s"),
    )


@transaction.atomic
def intake_reject(*, application, actor, reason, request=None) -> IntakeApplication:
    return _decide(
        application=application, actor=actor, name="reject", reason=_require_reason(reason), request=request,
        title=_("入库申请未通过：%(name)s"), body_template=_("%(name)s 的入库申请未通过，原因：%(reason)s"),
    )


@transaction.atomic
def intake_reopen(*, application, actor, request=None) -> IntakeApplication:
    """A returned application goes back to draft for the enterprise to correct."""
    application = _locked(application)
    transition_fire(instance=application, name="reopen", actor=actor)
    audit_record(action=AuditAction.TRANSITION, actor=actor, obj=application, request=request,
                 detail={"transition": "reopen", "to": application.status})
    return application


@transaction.atomic
def intake_withdraw(*, application, actor, request=None) -> IntakeApplication:
    application = _locked(application)
    transition_fire(instance=application, name="withdraw", actor=actor)
    audit_record(action=AuditAction.TRANSITION, actor=actor, obj=application, request=request,
                 detail={"transition": "withdraw", "to": application.status})
    return application


@transaction.atomic
def scan_upload(*, application, actor, uploaded_file, request=None) -> StampedScan:
    """Store the stamped scan after checking its content; earlier versions are kept."""
    from greenfactory.uploads import check_upload, storage_name

    application = _locked(application)
    if not access.can_edit_intake(actor, application):
        raise PermissionDenied(_("您无权上传该申请的扫描件。"))
    if application.status == IntakeStatus.DRAFT:
        raise ValidationError(_("请先提交申请，再下载申请表打印、签字盖章并上传扫描件。"), code="not_submitted")
    if application.status != IntakeStatus.SUBMITTED:
        from greenfactory.workflow import TransitionConflict

        raise TransitionConflict(_("该申请已审核，不能再上传扫描件。"))
    if StampedScan.objects.filter(application=application).count() >= MAX_SCAN_VERSIONS:
        raise ValidationError(_("扫描件最多上传%(n)d次，如需更换请联系区县经信部门。") % {"n": MAX_SCAN_VERSIONS},
                              code="too_many_versions")
    checked = check_upload(uploaded_file)
    scan = StampedScan(application=application, original_name=checked.original_name,
                       content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                       uploaded_by=actor)
    uploaded_file.seek(0)
    scan.file.save(storage_name("intake-scans", checked), uploaded_file, save=False)
    scan.save()
    audit_record(action=AuditAction.TRANSITION, actor=actor, obj=application, request=request,
                 detail={"scan_uploaded": scan.sha256})
    return scan
