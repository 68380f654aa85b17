"""Clocks (办理期限) and each user's e-mail choices per kind of message."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import DeadlineKind, MessageKind
from accounts.models.organisations import Organisation
from accounts.models.users import User


class Deadline(models.Model):
    """A clock on a record (何时之前、由谁办理): opened by the service that starts it, closed by the transition that
    stops it (``@transition(stops=...)``), reminded and chased by one sweep (``accounts.deadline_reminders``).

    Whose turn it is: one user or one organisation (all its active users). The due date is the last day on which the
    work is on time (computed in working days on the official calendar, or a fixed date such as a campaign's
    deadline). ``label`` and ``url`` name the case as it was when the clock started, so that a to-do list of clocks
    of many kinds costs one query."""

    kind = models.CharField(_("事项"), max_length=40, choices=DeadlineKind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("对象类型"))
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    subject = GenericForeignKey("content_type", "object_id")
    label = models.CharField(_("对象名称"), max_length=200, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines",
                             verbose_name=_("办理人"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="deadlines", verbose_name=_("办理单位"))
    due_on = models.DateField(_("截止日期"))
    opened_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.CharField(_("结束原因"), max_length=60, blank=True,
                                 help_text=_("结束该期限的操作（状态变更或业务操作的名称）。"))
    escalated_at = models.DateTimeField(_("催办时间"), null=True, blank=True)
    escalated_to = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("催办单位"))

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("办理期限")
        verbose_name_plural = _("办理期限")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=True, organisation__isnull=False)
                | models.Q(user__isnull=False, organisation__isnull=True),
                name="deadline_turn_is_a_user_or_an_organisation",
                violation_error_message=_("办理期限须指定一个办理人或一个办理单位。")),
            models.UniqueConstraint(fields=["content_type", "object_id", "kind"],
                                    condition=models.Q(closed_at__isnull=True), name="one_open_deadline_per_kind",
                                    violation_error_message=_("该事项已有一个未结束的同类期限。")),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id", "closed_at"]),
            models.Index(fields=["closed_at", "due_on"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.label}（{self.due_on}）"


class EmailPreference(models.Model):
    """A user's choice for one kind of message: also by e-mail or inbox only. No row: mailed (the default)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_preferences",
                             verbose_name=_("用户"))
    kind = models.CharField(_("消息类别"), max_length=20, choices=MessageKind.choices)
    email = models.BooleanField(_("同时发送邮件"), default=True)

    class Meta:
        verbose_name = _("邮件通知设置")
        verbose_name_plural = _("邮件通知设置")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_email_preference_per_kind",
                                               violation_error_message=_("该用户已设置过这类消息的邮件通知。"))]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"
