"""Certified titles (第十二条): granted by the city's decision, one per certified application, numbered per kind and
year; their certificates generated in batches after the decision; the national recommendation (择优推荐); and the
revocation (第十七条) with the three-year ban that follows it (第十八条), fired here for the supervision app."""

import re
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit_record
from accounts.models import AuditAction, MessageKind, User
from applications import access
from applications.models import (
    NUMBER_PREFIX,
    ApplicationBan,
    CertificationRound,
    CertificationStatus,
    Title,
    UnitKind,
)
from applications.services.certificates import batch_create
from applications.tasks import certificates_generate
from greenfactory.language import portal_language
from greenfactory.spreadsheet import Column, workbook_bytes
from greenfactory.text import is_blank
from greenfactory.workflow import Message, fire

NATIONAL_NOTE_MAX = 200
_NUMBER = re.compile(r"^(CQG[FP])-(\d{4})-(\d{4,})$")


def title_url(title) -> str:
    return reverse("applications:title_detail", args=[title.public_id])


def number_normalised(text) -> str:
    """A certificate number as typed or scanned: full-width characters and spaces folded, letters in capitals."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()[:40]


def _next_serials(year: int) -> dict[str, int]:
    """The next serial of each kind's numbers in ``year`` (numbers are never reused: a revoked title keeps its own)."""
    serials = {}
    for kind, prefix in NUMBER_PREFIX.items():
        last = Title.objects.filter(number__startswith=f"{prefix}-{year}-").aggregate(last=Max("number"))["last"]
        match = _NUMBER.match(last or "")
        serials[kind] = int(match.group(3)) + 1 if match else 1
    return serials


@transaction.atomic
def titles_grant(*, decision, applications, actor, request=None) -> list[Title]:
    """第十二条: one title per certified application of the decision — 重庆市绿色工厂 or 重庆市绿色园区 for its round's
    year, the unit's name, kind, district, industry and organisation copied from the application, certified on the
    decision's date, numbered ``CQGF-2026-0001`` / ``CQGP-2026-0001`` (a serial per kind and year). Idempotent: an
    application that has its title is skipped. Race-safe: the serials are taken under a lock on the round's row (two
    decisions of one year number one after the other), and the number is unique besides. Each title is audited; the
    decision's certificates are queued after commit. Returns the titles created. PermissionDenied for anyone but
    the city's staff; ValidationError for an application that is not certified."""
    if not access.is_city_officer(actor):
        raise PermissionDenied(_("只有市经济信息委可以授予称号。"))
    applications = list(applications)
    created = []
    if not applications:
        return created
    # The rounds' rows are the lock of their years' serials (one round a year, 第三条), read once for every
    # application.
    year_of = dict(CertificationRound.objects.select_for_update().filter(
        pk__in={application.round_id for application in applications}).order_by("year").values_list("pk", "year"))
    years = sorted(set(year_of.values()))
    have = set(Title.objects.filter(application__in=applications).values_list("application_id", flat=True))
    serials = {year: _next_serials(year) for year in years}
    for application in sorted(applications, key=lambda a: (year_of[a.round_id], a.unit_kind, a.pk)):
        if application.pk in have:
            continue
        if application.status != CertificationStatus.CERTIFIED:
            raise ValidationError(_("“%(name)s”尚未认定，不能授予称号。") % {"name": application.unit_name})
        year, kind = year_of[application.round_id], UnitKind(application.unit_kind)
        number = f"{NUMBER_PREFIX[kind]}-{year}-{serials[year][kind]:04d}"
        serials[year][kind] += 1
        try:
            with transaction.atomic():
                title = Title.objects.create(
                    application=application, decision=decision, organisation_id=application.applicant_id,
                    unit_kind=kind, name=application.unit_name, district_id=application.district_id,
                    industry_id=application.industry_id, year=year, number=number,
                    certified_on=decision.issued_on)
        except IntegrityError:
            if Title.objects.filter(application=application).exists():
                continue  # granted meanwhile by another request
            raise
        have.add(application.pk)
        audit_record(action=AuditAction.CREATED, actor=actor, obj=title, request=request, detail={
            "number": number, "year": year, "kind": kind, "decision": decision.document_number,
            "application": str(application.public_id)})
        created.append(title)
    if created:
        transaction.on_commit(lambda: certificate_batch_start(decision=decision, actor=actor, queued_by_grant=True))
    return created


def certificate_batch_start(*, decision, actor, request=None, queued_by_grant=False):
    """Queue the generation of the decision's certificates and its official document (Celery), unless a batch is
    queued or running (that one is returned). Audited. PermissionDenied for anyone but the city's staff."""
    if not access.is_city_officer(actor):
        raise PermissionDenied(_("只有市经济信息委可以生成证书。"))
    batch, created = batch_create(decision=decision, actor=actor)
    if created:
        audit_record(action=AuditAction.CREATED, actor=actor, obj=decision, request=request,
                     detail={"certificates": "queued", "batch": batch.pk, "total": batch.total,
                             "after_decision": queued_by_grant})
        transaction.on_commit(lambda: certificates_generate.delay(batch.pk))
    return batch


# --- 第十二条 择优推荐: the national recommendation ---------------------------------------------------------------


def title_national_mark(*, title, actor, recommended: bool, note: str = "", request=None) -> Title:
    """The city marks (or unmarks) a valid title as recommended to the national level, with a note. Audited with the
    value before and after. A revoked title cannot be recommended."""
    if not access.is_city_officer(actor):
        raise PermissionDenied(_("只有市经济信息委可以择优推荐。"))
    note = (note or "").strip()
    if len(note) > NATIONAL_NOTE_MAX:
        raise ValidationError({"note": _("推荐说明最多%(limit)d个字符。") % {"limit": NATIONAL_NOTE_MAX}})
    if is_blank(note):
        note = ""
    with transaction.atomic():
        row = Title.objects.select_for_update().get(pk=title.pk)
        if recommended and row.status != "active":
            raise ValidationError(_("该称号已撤销，不能推荐申报国家级。"))
        before = {"recommended": row.national_recommended, "note": row.national_note}
        row.national_recommended, row.national_note = recommended, note if recommended else ""
        row.save(update_fields=["national_recommended", "national_note"])
        audit_record(action=AuditAction.CHANGED, actor=actor, obj=row, request=request, detail={
            "national_recommended": {"from": before["recommended"], "to": row.national_recommended},
            "national_note": {"from": before["note"], "to": row.national_note}})
    return row


NATIONAL_COLUMNS = [
    Column(gettext_lazy("序号"), 6), Column(gettext_lazy("称号"), 16), Column(gettext_lazy("单位名称"), 36),
    Column(gettext_lazy("区县"), 14), Column(gettext_lazy("所属行业"), 24), Column(gettext_lazy("认定年度"), 10),
    Column(gettext_lazy("证书编号"), 18), Column(gettext_lazy("认定日期"), 12, "yyyy-mm-dd"),
    Column(gettext_lazy("推荐说明"), 40),
]


def national_export(*, actor, year, titles, request=None) -> bytes:
    """The titles of ``year`` marked for the national level as a workbook; audited with its row count."""
    if not access.is_city_officer(actor):
        raise PermissionDenied(_("只有市经济信息委可以导出推荐名单。"))
    rows = ([n, t.title_name, t.name, t.district.name, t.industry.name if t.industry_id else "", t.year, t.number,
             t.certified_on, t.national_note] for n, t in enumerate(titles, start=1))
    content, count = workbook_bytes(
        sheet_title=_("择优推荐名单"), columns=NATIONAL_COLUMNS, rows=rows,
        title=_("%(year)s年度择优推荐申报国家级绿色工厂、绿色园区名单（导出时间%(time)s）") % {
            "year": year, "time": timezone.localtime().strftime("%Y-%m-%d %H:%M")})
    audit_record(action=AuditAction.EXPORT, actor=actor, request=request,
                 detail={"rows": count, "year": year, "list": "national_recommendation"})
    return content


# --- 第十七条、第十八条: revocation and the ban ------------------------------------------------------------------


def title_revoke(*, title, actor, cause: str, document_number: str = "", comment: str = "", request=None) -> Title:
    """Revoke the title (第十七条, ``cause``: the article's wording of the cause) through the workflow kernel: the
    title becomes 已撤销 on today's date (Asia/Shanghai), and the unit is banned from applying again for three years
    from that date (第十八条, ``ApplicationBan``: intake and certification refuse it until the day before the same
    calendar day three years later). Called by the supervision app's revocation, which records the facts and the
    announcement. PermissionDenied for anyone but the city's staff; TransitionConflict when already revoked."""
    if is_blank(cause):
        raise ValidationError({"cause": _("请选择撤销原因。")})

    def ban(row):
        ApplicationBan.objects.create(organisation_id=row.organisation_id, starts_on=row.revoked_on,
                                      ends_on=ApplicationBan.end_for(row.revoked_on), reason=cause[:300],
                                      document_number=document_number[:50])

    def messages(row):
        # The unit is told (第十八条: 发文公告), with the cause, the number and the three years.
        return [Message(recipients=list(User.objects.filter(organisation_id=row.organisation_id, is_active=True)),
                        kind=MessageKind.DECISION, url=reverse("applications:title_verify_number", args=[row.number]),
                        title=_("您单位的%(title)s称号已被撤销") % {"title": row.title_name},
                        body=_("撤销原因：%(cause)s（%(number)s）。按《认定管理办法》第十八条，自%(start)s起三年内不得重新"
                               "申报。") % {"cause": cause, "number": document_number, "start": row.revoked_on})]

    with transaction.atomic(), portal_language():
        row = fire(title, "revoke", actor=actor, comment=comment, request=request, url=title_url(title),
                   detail={"cause": cause, "document_number": document_number}, messages=messages,
                   conflict_message=_("该称号已被撤销，本次操作未执行。"))
        ban(row)
    return row
