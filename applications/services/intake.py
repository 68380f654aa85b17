"""Writes for intake applications: start, save, submit, the district's decisions, withdrawal, the stamped scan."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.audit import audit_record
from accounts.inbox import district_officials
from accounts.models import AuditAction, MessageKind, Notification
from applications import access
from applications.clocks import intake_clock_close, intake_clock_open
from applications.models import (
    CriterionResult,
    EntryCriterionResult,
    IntakeApplication,
    IntakeStatus,
    LibraryEntry,
)
from applications.services.bans import _refuse_if_banned
from applications.services.campaigns import campaign_closing_message
from applications.services.criteria import _criteria_numbers, criteria_not_met, entry_criteria_evaluate
from greenfactory.language import in_portal_language, portal_language
from greenfactory.text import clause
from greenfactory.workflow import (
    COMMENT_MAX_LENGTH,
    Message,
    TransitionConflict,
    fire,
    lock,
    reason_required,
    state_conflict,
)

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

# What must be filled in before the form can be submitted (其他 may stay empty).
REQUIRED_FOR_SUBMISSION = [
    "company_name", "industry", "address", "ownership_type", "credit_code", "postal_code", "founded_on",
    "registered_capital", "main_products", "output_value", "total_profit_1", "total_profit_2", "total_profit_3",
    "quality_management_certified", "environmental_management_certified", "occupational_health_safety_certified",
    "energy_management_certified", "major_accident", "preparer_name", "preparer_phone", "profile_text",
    "independent_legal_person", "green_investment_amount", "commitment_signatory", "commitment_date",
]


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


@transaction.atomic
def intake_return(*, application, actor, reason, request=None) -> IntakeApplication:
    application = _locked_for_decision(application, actor)
    _decide(
        application=application, actor=actor, name="return_for_changes", reason=reason_required(reason),
        request=request, title=gettext_noop("入库申请被退回修改：%(name)s"),
        body_template=gettext_noop("%(name)s 的入库申请被退回修改，原因：%(reason)s"),
    )
    intake_clock_open(application)
    return application


@transaction.atomic
def intake_reject(*, application, actor, reason, request=None) -> IntakeApplication:
    application = _locked_for_decision(application, actor)
    return _decide(
        application=application, actor=actor, name="reject", reason=reason_required(reason), request=request,
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
    reason = reason_required(reason)
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
