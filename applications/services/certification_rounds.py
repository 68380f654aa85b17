"""The city's annual certification round (第三条: 每年认定一次): published, corrected and extended by the city, with its
checks (its year, no deadline set in the past, its own document number, a cap not below what is held) and the
announcement of any change of its deadlines to those they bind."""

import re
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.choices import DeadlineKind, Role
from accounts.deadlines import deadline_move
from accounts.inbox import notification_send
from accounts.models import AuditAction, MessageKind, User
from applications import access
from applications.models import (
    FINAL_STATES,
    ApplicationBan,
    CertificationApplication,
    CertificationDecision,
    CertificationRound,
)
from applications.services.certification import most_evaluations_in_round
from greenfactory.language import portal_language

ROUND_FIELDS = ("year", "title", "document_number", "notice", "opens_on", "application_deadline",
                "recommendation_deadline", "evaluator_cap")



def document_number_of(text) -> str:
    """A document number as official documents write it: the year in 〔〕 (GB/T 9704: never [] or ()), no spaces."""
    text = "".join(unicodedata.normalize("NFKC", text or "").split())
    return re.sub(r"[\[(（](\d{4})[\])）]", r"〔\1〕", text)


# An official document's number (GB/T 9704-2012): the issuer's code, the year in 〔〕, the serial, 号.
OFFICIAL_NUMBER = re.compile(r"^\S{2,30}〔(\d{4})〕\d{1,4}号$")


def official_number_error(number, *, issued_on=None) -> str | None:
    """Why ``number`` (already written with 〔〕) is not an official document number issued on ``issued_on``: its
    form, or a year that is not the year it is issued in; None when it is one."""
    match = OFFICIAL_NUMBER.match(number or "")
    if match is None:
        return _("文号格式应如“渝经信节能〔2026〕12号”：机关代字、〔年份〕和序号。")
    if issued_on is not None and int(match.group(1)) != issued_on.year:
        return _("文号中的年份（%(year)s）应与发文日期的年份（%(issued)s）一致。") % {
            "year": match.group(1), "issued": issued_on.year}
    return None


def document_number_taken(number) -> bool:
    """Whether another document the portal issued carries ``number``: a certification decision, a revocation (its
    ban keeps the number) or a round's notice. One number names one document."""
    return (CertificationDecision.objects.filter(document_number=number).exists()
            or ApplicationBan.objects.filter(document_number=number).exists()
            or CertificationRound.objects.filter(document_number=number).exists())


# Published texts (a notice, a decision, an announcement) carry no personal contact: a mobile number or an ID number
# is someone's; the city's channel is an office line or address.
PERSONAL_NUMBER = re.compile(r"(?<!\d)((?:\+?86)?1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")
# Between the digits of a number as people write it: spaces, hyphens, dots, brackets (full-width ones too, by NFKC).
NUMBER_SEPARATORS = re.compile(r"[\s\-.·()]")


def personal_data_error(text) -> str | None:
    """Why a text to be published carries personal data: a mobile number (also as +86 139 1234 5678, 139-1234-5678,
    in full-width digits) or an ID number; None when it does not."""
    compact = NUMBER_SEPARATORS.sub("", unicodedata.normalize("NFKC", text or ""))
    if PERSONAL_NUMBER.search(text or "") or PERSONAL_NUMBER.search(compact):
        return _("公开发布的内容不能包含手机号码或身份证号码等个人信息，请填写单位的办公电话或地址。")
    return None


def _round_checked(certification_round, *, before=None):
    """The model's checks, then the round's own: it opens in its year; no deadline is set in the past (a round
    published with its deadlines gone, or a live round cut short, would leave applicants no time); its document
    number is its own; its cap is not below what an organisation already holds in it."""
    errors = {}
    try:
        certification_round.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    today = timezone.localdate()
    if certification_round.opens_on and certification_round.year and (
            certification_round.opens_on.year != certification_round.year):
        errors.setdefault("opens_on", []).append(_("开始日期应在认定年度（%(year)d年）内。")
                                                 % {"year": certification_round.year})
    deadlines = (("application_deadline", _("申报截止日期")), ("recommendation_deadline", _("区县推荐截止日期")))
    for name, label in deadlines:
        value, old = getattr(certification_round, name), getattr(before, name, None)
        if value and value < today and value != old:
            errors.setdefault(name, []).append(_("%(field)s不能早于今天。") % {"field": label})
    number = certification_round.document_number = document_number_of(certification_round.document_number)
    if number and any(document_number_of(other) == number for other in CertificationRound.objects.exclude(
            pk=certification_round.pk).exclude(document_number="").values_list("document_number", flat=True)):
        errors.setdefault("document_number", []).append(_("该通知文号已被其他年度认定工作使用。"))
    if before is not None and certification_round.evaluator_cap:
        held = most_evaluations_in_round(certification_round.pk)
        if certification_round.evaluator_cap < held:
            errors.setdefault("evaluator_cap", []).append(
                _("已有评价机构在本年度承接了%(n)d家，上限不能低于此数。") % {"n": held})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def round_create(*, actor, data: dict, request=None) -> CertificationRound:
    """The city opens the year's round; every district's officials are told. PermissionDenied for anyone but the
    city; ValidationError for a second round of a year or dates out of order."""
    if not access.can_manage_rounds(actor):
        raise PermissionDenied(_("只有市经济信息委可以发布年度认定工作。"))
    certification_round = CertificationRound(created_by=actor, **{k: data[k] for k in ROUND_FIELDS if k in data})
    _round_checked(certification_round)
    certification_round.save()
    audit_record(action=AuditAction.CREATED, actor=actor, obj=certification_round, request=request,
                 detail={name: str(getattr(certification_round, name)) for name in ROUND_FIELDS})
    with portal_language():
        notification_send(
            recipients=User.objects.filter(role=Role.DISTRICT, is_active=True),
            title=_("市经济信息委发布了%(year)s年度绿色工厂、绿色园区认定工作") % {"year": certification_round.year},
            body=_("申报截止：%(apply)s；区县推荐截止：%(recommend)s。") % {
                "apply": certification_round.application_deadline,
                "recommend": certification_round.recommendation_deadline},
            url=reverse("applications:round_detail", args=[certification_round.public_id]),
            kind=MessageKind.ANNOUNCEMENT)
    return certification_round


@transaction.atomic
def round_update(*, certification_round, actor, data: dict, request=None) -> CertificationRound:
    """The city corrects or extends its round (the year stays). The applicants' and districts' clocks follow the new
    deadlines."""
    if not access.can_manage_rounds(actor):
        raise PermissionDenied(_("只有市经济信息委可以修改年度认定工作。"))
    certification_round = CertificationRound.objects.select_for_update().get(pk=certification_round.pk)
    before = {name: str(getattr(certification_round, name)) for name in ROUND_FIELDS}
    original = CertificationRound(**{name: getattr(certification_round, name) for name in ROUND_FIELDS})
    for name in ROUND_FIELDS:
        if name in data and name != "year":
            setattr(certification_round, name, data[name])
    _round_checked(certification_round, before=original)
    certification_round.save()
    after = {name: str(getattr(certification_round, name)) for name in ROUND_FIELDS}
    applications = CertificationApplication.objects.filter(round=certification_round)
    deadline_move(subjects=applications, kinds=[DeadlineKind.CERTIFICATION_SUBMISSION],
                  due_on=certification_round.application_deadline)
    deadline_move(subjects=applications, kinds=[DeadlineKind.CERTIFICATION_RECOMMENDATION],
                  due_on=certification_round.recommendation_deadline)
    changed = {name: {"from": before[name], "to": after[name]} for name in ROUND_FIELDS if before[name] != after[name]}
    audit_record(action=AuditAction.CHANGED, actor=actor, obj=certification_round, request=request, detail=changed)
    if {"application_deadline", "recommendation_deadline"} & changed.keys():
        # Whoever the deadlines bind is told: the districts' officials and the units with an application open.
        units = CertificationApplication.objects.filter(round=certification_round).exclude(
            status__in=FINAL_STATES).values("applicant_id")
        with portal_language():
            notification_send(
                recipients=User.objects.filter(is_active=True).filter(
                    Q(role=Role.DISTRICT) | Q(organisation_id__in=units)),
                title=_("%(title)s的截止日期已调整") % {"title": certification_round.title},
                body=_("申报截止：%(apply)s；区县推荐截止：%(recommend)s。") % {
                    "apply": certification_round.application_deadline,
                    "recommend": certification_round.recommendation_deadline},
                url=reverse("applications:round_detail", args=[certification_round.public_id]),
                kind=MessageKind.ANNOUNCEMENT)
    return certification_round
