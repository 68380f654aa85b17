"""Changes of an enterprise's registered name or credit code (企业名称、统一社会信用代码变更): the enterprise
asks, its district approves or refuses. Intake applications carry the registered identity, so it changes only with
the district's approval."""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit_record
from accounts.choices import MessageKind
from accounts.inbox import district_officials, notification_send
from accounts.models import AuditAction, Enterprise, IdentityChange, IdentityChangeStatus, Organisation
from greenfactory.language import portal_language
from greenfactory.workflow import Message, fire, lock, messages_send, reason_required


def _credit_code_taken(code: str, *, other_than) -> bool:
    return Organisation.objects.filter(credit_code=code).exclude(pk=other_than.pk).exists()


# Lazy: read in the language of the request that is refused, not of the process that imported this.
_CODE_TAKEN = gettext_lazy("该统一社会信用代码已由平台上的其他企业注册。如确属本企业，请联系所在区县经信部门。")


@transaction.atomic
def identity_change_request(*, actor, new_name: str, new_credit_code: str, reason: str,
                            request=None) -> IdentityChange:
    """An enterprise asks its district to change its registered name or credit code (intake applications carry
    the registered identity, so it changes only with the district's approval). One open request at a time; the
    new code must not be another registered enterprise's. Raises ValidationError naming the field."""
    if not rules.has_perm("accounts.request_identity_change", actor):
        raise PermissionDenied(_("只有已通过注册审核的企业可以申请变更。"))
    enterprise = Enterprise.objects.select_for_update().get(pk=actor.organisation_id)
    new_name, reason = (new_name or "").strip(), (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写变更原因。")})
    if new_name == enterprise.name and new_credit_code == enterprise.credit_code:
        raise ValidationError(_("新的公司名称和统一社会信用代码与现登记的相同，无需变更。"))
    if new_credit_code != enterprise.credit_code and _credit_code_taken(new_credit_code, other_than=enterprise):
        raise ValidationError({"new_credit_code": _CODE_TAKEN})
    open_exists = _("本企业已有一项变更申请正在等待区县经信部门审核，审核完成后才能再次申请。")
    if IdentityChange.objects.filter(enterprise=enterprise, status=IdentityChangeStatus.PENDING).exists():
        raise ValidationError(open_exists)
    change = IdentityChange(enterprise=enterprise, old_name=enterprise.name, old_credit_code=enterprise.credit_code,
                            new_name=new_name, new_credit_code=new_credit_code, reason=reason, requested_by=actor)
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError as exc:  # two requests at once: the partial unique index keeps one open
        raise ValidationError(open_exists) from exc
    audit_record(action=AuditAction.IDENTITY_CHANGE_REQUESTED, actor=actor, obj=change, request=request,
                 detail={"from": {"name": change.old_name, "credit_code": change.old_credit_code},
                         "to": {"name": change.new_name, "credit_code": change.new_credit_code},
                         "reason": reason})
    with portal_language():
        notification_send(
            recipients=district_officials(enterprise.district_id),
            title=_("企业申请变更名称或信用代码：%(name)s") % {"name": enterprise.name},
            body=_("%(old)s 申请变更为 %(new)s（%(code)s），请审核。")
            % {"old": enterprise.name, "new": new_name, "code": new_credit_code},
            url=reverse("accounts:identity_change_detail", args=[change.public_id]), kind=MessageKind.TASK,
        )
    return change


def _identity_change_url(change) -> str:
    return reverse("accounts:identity_change_detail", args=[change.public_id])


@transaction.atomic
def identity_change_approve(*, change, actor, request=None) -> IdentityChange:
    """Approve a change: the enterprise's registered name and code become the new ones (audited from and to).
    Raises TransitionConflict if decided meanwhile, PermissionDenied outside the district, ValidationError if the
    new code was registered by another enterprise meanwhile."""
    change = lock(change, url=_identity_change_url(change))
    enterprise = Enterprise.objects.select_for_update().get(pk=change.enterprise_id)
    before = {"name": enterprise.name, "credit_code": enterprise.credit_code}

    def code_still_free(row):
        if row.new_credit_code != enterprise.credit_code and _credit_code_taken(row.new_credit_code,
                                                                                other_than=enterprise):
            raise ValidationError(_CODE_TAKEN)

    with portal_language():
        message = Message(
            recipients=lambda: enterprise.users.all(), title=_("名称或信用代码变更已通过审核"),
            body=_("%(old)s 的登记信息已变更为 %(new)s（%(code)s）。此后提交的申请将使用新的登记信息。")
            % {"old": before["name"], "new": change.new_name, "code": change.new_credit_code},
            url=reverse("accounts:profile"), kind=MessageKind.DECISION)
    # The state first (a stale approval answers 409 before anything changes), then the enterprise, in one transaction.
    change = fire(change, "approve", actor=actor, request=request, locked=True, guards=[code_still_free],
                  url=_identity_change_url(change))
    enterprise.name, enterprise.credit_code = change.new_name, change.new_credit_code
    try:
        with transaction.atomic():
            enterprise.save(update_fields=["name", "credit_code"])
    except IntegrityError as exc:
        raise ValidationError(_CODE_TAKEN) from exc
    after = {"name": enterprise.name, "credit_code": enterprise.credit_code}
    audit_record(action=AuditAction.ENTERPRISE_CHANGED, actor=actor, obj=enterprise, request=request,
                 detail={"from": before, "to": after, "change": str(change.public_id)})
    messages_send([message])
    return change


def identity_change_refuse(*, change, actor, reason: str, request=None) -> IdentityChange:
    """Refuse a change with a reason, which the enterprise reads on its profile; nothing else changes."""
    reason = reason_required(reason, _("请填写未通过的原因。"))
    with portal_language():
        message = Message(recipients=lambda: change.enterprise.users.all(),
                          title=_("名称或信用代码变更未通过审核"),
                          body=_("变更为 %(new)s 的申请未通过，原因：%(reason)s")
                          % {"new": change.new_name, "reason": reason},
                          url=reverse("accounts:profile"), kind=MessageKind.DECISION)
    return fire(change, "refuse", actor=actor, comment=reason, request=request, detail={"reason": reason},
                url=_identity_change_url(change), messages=[message])
