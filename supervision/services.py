"""Writes of the supervision app. The revocation of a title (第十七条) with its announcement (第十八条 发文公告): the
facts and the document are recorded here; the title's state and the three-year ban are the applications app's, set
through its service (``title_revoke``, fired through the workflow kernel)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import AuditAction
from applications import access as applications_access
from applications.services.certification_rounds import (
    document_number_of,
    document_number_taken,
    official_number_error,
    personal_data_error,
)
from applications.services.titles import title_revoke
from greenfactory.text import is_blank
from greenfactory.uploads import save_upload
from supervision.models import Revocation, RevocationAttachment, RevocationCause


def revocation_create(*, title, actor, cause: str, facts: str, document_number: str, attachment=None,
                      request=None) -> Revocation:
    """第十七条: the city revokes ``title`` for one of the seven causes, with the facts, the revocation's document
    number (the year written in 〔〕 whatever brackets were typed) and, optionally, an attachment. In one transaction:
    the title is revoked through the applications app (which starts the ban of 第十八条), the revocation is recorded
    and audited, the attachment stored through the one write path. PermissionDenied for anyone but the city's staff;
    ValidationError for a cause outside the article, empty facts or a document number already used;
    TransitionConflict when the title is already revoked."""
    if not applications_access.is_city_officer(actor):
        raise PermissionDenied(_("只有市经济信息委可以撤销称号。"))
    errors = {}
    if cause not in RevocationCause.values:
        errors["cause"] = [_("请选择《认定管理办法》第十七条所列的撤销情形。")]
    facts = (facts or "").strip()
    if is_blank(facts):
        errors["facts"] = [_("请写明撤销的事实与依据。")]
    elif personal_data_error(facts):
        errors["facts"] = [personal_data_error(facts)]
    number = document_number_of(document_number)
    if not number:
        errors["document_number"] = [_("请填写撤销文号。")]
    elif official_number_error(number, issued_on=timezone.localdate()):
        errors["document_number"] = [official_number_error(number, issued_on=timezone.localdate())]
    elif any(document_number_of(other) == number
             for other in Revocation.objects.values_list("document_number", flat=True)) \
            or document_number_taken(number):
        errors["document_number"] = [_("该文号已被其他文件使用。")]
    if errors:
        raise ValidationError(errors)
    revocation = Revocation(cause=cause, facts=facts, document_number=number, created_by=actor)
    try:
        with transaction.atomic():
            row = title_revoke(title=title, actor=actor, cause=revocation.cause_text, document_number=number,
                               comment=_("%(cause)s（%(number)s）") % {"cause": revocation.cause_text,
                                                                     "number": number}, request=request)
            revocation.title, revocation.revoked_on = row, row.revoked_on
            revocation.save()
            audit_record(action=AuditAction.CREATED, actor=actor, obj=revocation, request=request, detail={
                "title": row.number, "cause": revocation.cause_text, "document_number": number,
                "revoked_on": row.revoked_on.isoformat()})
            if attachment is not None:
                save_upload(attachment, RevocationAttachment(revocation=revocation), actor=actor, request=request)
    except IntegrityError:
        raise ValidationError({"document_number": [_("该文号已被其他撤销决定使用。")]}) from None
    return revocation
