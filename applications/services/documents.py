"""The intake form printed as a PDF and the stamped scan uploaded back (附件：绿色工厂培育入库申请表)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import AuditAction, OwnershipType
from applications import access
from applications.models import (
    IntakeStatus,
    StampedScan,
)
from applications.services.intake import _conflict, _locked
from greenfactory.uploads import save_upload

# Versions of the stamped scan kept per application: enough for honest corrections, not a file store.
MAX_SCAN_VERSIONS = 10


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
