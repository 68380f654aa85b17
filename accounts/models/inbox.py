"""Each user's inbox (站内消息), and the state of the mail that copies a message."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models.users import User


class EmailStatus(models.TextChoices):
    NONE = "none", _("无需邮件")
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Notification(models.Model):
    """An entry in a user's inbox (站内消息), optionally mailed. ``key`` makes a reminder unique per person, item
    and threshold, so a task that runs twice sends it once."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("收件人"))
    key = models.CharField(_("去重键"), max_length=200, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    email_status = models.CharField(_("邮件状态"), max_length=10, choices=EmailStatus.choices,
                                    default=EmailStatus.NONE)
    email_attempts = models.PositiveSmallIntegerField(_("邮件发送次数"), default=0)
    email_error = models.CharField(_("邮件发送错误"), max_length=300, blank=True)
    email_updated_at = models.DateTimeField(_("邮件状态更新时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~models.Q(key=""),
                                    name="notification_once_per_recipient_and_key",
                                    violation_error_message=_("该用户已收到过这条消息，不再重复发送。")),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"]),
                   # The inbox, newest first.
                   models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox")]

    def __str__(self):
        return self.title
