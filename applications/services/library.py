"""Writes for the cultivation library: its export."""



from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit_record
from accounts.models import AuditAction
from greenfactory.spreadsheet import Column, workbook_bytes

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
