"""Changes of an enterprise's registered name or credit code, decided by its district; and the scope every
record that belongs to one enterprise and is decided by one district shares."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.access import can_review_identity_change
from accounts.models.organisations import Enterprise
from accounts.models.users import User
from accounts.scope import ScopedQuerySet
from greenfactory.workflow import ReloadableStateMixin, transition


class IdentityChangeStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REFUSED = "refused", _("未通过")


class EnterpriseRecordQuerySet(ScopedQuerySet):
    """Records an enterprise applies with and one district decides (identity changes here; intake applications and
    library entries in applications): the city and administrators see all, a district official its district's, the
    applicant its own, an assignee the cases assigned to it (where the model declares ``assignment_path``)."""

    district_path = "district_id"
    applicant_path = "enterprise_id"


class IdentityChangeQuerySet(EnterpriseRecordQuerySet):
    # A request is decided by the district the enterprise is registered in.
    district_path = "enterprise__district_id"


class IdentityChange(ReloadableStateMixin, models.Model):
    """A registered enterprise asks its district to change its 公司名称 or 统一社会信用代码 (the identity intake
    forms are filled with). Once certification exists, the same change of a certified factory is the article-19
    change request (第十九条), which builds on this record rather than beside it."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="identity_changes")
    old_name = models.CharField(_("原公司名称"), max_length=200)
    old_credit_code = models.CharField(_("原统一社会信用代码"), max_length=18)
    new_name = models.CharField(_("新公司名称"), max_length=200)
    new_credit_code = models.CharField(_("新统一社会信用代码"), max_length=18)
    reason = models.TextField(_("变更原因"), max_length=1000)
    status = FSMField(_("状态"), max_length=10, choices=IdentityChangeStatus.choices,
                      default=IdentityChangeStatus.PENDING, protected=True)
    requested_by = models.ForeignKey(User, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey(User, verbose_name=_("审核人"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", editable=False)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    refusal_reason = models.TextField(_("未通过原因"), max_length=1000, blank=True, editable=False)

    objects = IdentityChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        # The district's queue of open requests, oldest first.
        indexes = [models.Index(fields=["status", "created_at"], name="identity_change_queue")]
        verbose_name = _("企业名称或信用代码变更")
        verbose_name_plural = _("企业名称或信用代码变更")
        constraints = [
            models.UniqueConstraint(fields=["enterprise"], condition=models.Q(status="pending"),
                                    name="identity_change_one_open_per_enterprise",
                                    violation_error_message=_(
                                        "该企业已有一项待审核的名称或信用代码变更，请等区县审核完成后再提交。")),
        ]

    def __str__(self):
        return f"{self.old_name} → {self.new_name}"

    @transition(source=IdentityChangeStatus.PENDING, target=IdentityChangeStatus.APPROVED,
                permission=lambda instance, user: can_review_identity_change(user, instance))
    def approve(self, by=None, description=None):
        self.decided_by = by
        self.decided_at = timezone.now()

    @transition(source=IdentityChangeStatus.PENDING, target=IdentityChangeStatus.REFUSED,
                permission=lambda instance, user: can_review_identity_change(user, instance))
    def refuse(self, by=None, description=None):
        self.decided_by = by
        self.decided_at = timezone.now()
        self.refusal_reason = description or ""
