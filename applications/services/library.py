"""Writes for the cultivation library: the facts of the latest confirmed assessment (handed down by evaluation), the
district's readiness decision (成熟一批，申报一批), and the export."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit_record
from accounts.models import AuditAction
from applications.models import LibraryEntry
from greenfactory.language import portal_language
from greenfactory.spreadsheet import Column, workbook_bytes
from greenfactory.workflow import Message, fire, lock, reason_required, state_conflict


@transaction.atomic
def library_entry_record_assessment(*, entry, score: Decimal | None, vetoed: bool, confirmed_at, actor,
                                    request=None) -> LibraryEntry:
    """Store the facts of an assessment just confirmed on its library entry (evaluation calls this in the
    confirmation's transaction): the overall score, whether a veto failed, when. Audited as a change of the entry."""
    entry = lock(entry)
    before = {"score": str(entry.assessed_score) if entry.assessed_score is not None else None,
              "vetoed": entry.assessed_vetoed}
    LibraryEntry.objects.filter(pk=entry.pk).update(assessed_score=score, assessed_vetoed=vetoed,
                                                    assessed_at=confirmed_at)
    entry.assessed_score, entry.assessed_vetoed, entry.assessed_at = score, vetoed, confirmed_at
    audit_record(action=AuditAction.CHANGED, actor=actor, obj=entry, request=request, detail={
        "assessment": {"from": before, "to": {"score": str(score) if score is not None else None, "vetoed": vetoed}}})
    return entry


def _readiness_guard(entry):
    if entry.assessed_at is None:
        raise ValidationError({"reason": _("该企业尚无经确认的绿色生产水平评估，不能标记为成熟。")})
    if entry.assessed_vetoed:
        raise ValidationError({"reason": _("最近一次评估有基本要求（一票否决项）未通过，不能标记为成熟。")})


def _to_enterprise(title):
    def messages(entry):
        users = list(entry.enterprise.users.filter(is_active=True))
        return [Message(recipients=users, title=_(title), body=entry.readiness_note)] if users else []
    return messages


def library_entry_mark_ready(*, entry, actor, reason="", open_measures: int = 0, request=None) -> LibraryEntry:
    """The district marks the entry ready to apply for certification (成熟). Refused (ValidationError) without a
    confirmed assessment or when its vetoes failed; ``open_measures`` (from evaluation: improvement measures not yet
    done) goes into the record. PermissionDenied outside the entry's district; 409 when it is ready already."""
    with portal_language():
        return fire(entry, "mark_ready", actor=actor, comment=(reason or "").strip(), request=request,
                    guards=[_readiness_guard], detail={"open_measures": open_measures},
                    messages=_to_enterprise("您单位已被区县经信部门标记为成熟，可申报绿色工厂认定"))


def library_entry_mark_not_ready(*, entry, actor, reason, request=None) -> LibraryEntry:
    """The district records that the entry is not ready yet (or no longer), with its reasons."""
    reason = reason_required(reason, _("请填写暂不成熟的原因。"))

    def not_again(row):
        # A second click, or two officials at once, with the same reasons: recorded once.
        if row.status == "cultivating" and row.readiness_note == reason:
            raise state_conflict(row, message=_("已记录相同的暂不成熟意见，本次操作未执行。"))

    with portal_language():
        return fire(entry, "mark_not_ready", actor=actor, comment=reason, request=request, guards=[not_again],
                    messages=_to_enterprise("区县经信部门认为您单位暂不成熟，请继续落实提升方案"))


# The columns officials use. 联系人 and 联系电话 are the preparer's from the form: the export is for officials only
# (view_library).
LIBRARY_COLUMNS = [
    Column(gettext_lazy("培育年度"), 10), Column(gettext_lazy("区县"), 14), Column(gettext_lazy("公司名称"), 36),
    Column(gettext_lazy("统一社会信用代码"), 22), Column(gettext_lazy("所属行业"), 24),
    Column(gettext_lazy("重点行业"), 14), Column(gettext_lazy("产值（万元）"), 14, "#,##0.00"),
    Column(gettext_lazy("联系人"), 12), Column(gettext_lazy("联系电话"), 16), Column(gettext_lazy("培育状态"), 14),
    Column(gettext_lazy("入库时间"), 12, "yyyy-mm-dd"), Column(gettext_lazy("最近评估得分"), 12, "0.00"),
]


def _library_rows(entries):
    for entry in entries.iterator(chunk_size=500):
        application = entry.application
        yield [entry.campaign.year, entry.district.name, entry.enterprise.name, entry.enterprise.credit_code,
               entry.industry.name, entry.get_sector_display(), application.output_value, application.preparer_name,
               application.preparer_phone, entry.get_status_display(), timezone.localtime(entry.entered_at).date(),
               entry.assessed_score]


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
