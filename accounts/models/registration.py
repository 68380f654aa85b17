"""A self-registration waiting for its e-mail address to be confirmed."""

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingRegistration(models.Model):
    """A registration whose e-mail address is not yet confirmed. It reserves nothing (no unique name, e-mail or
    code), so an unconfirmed form can neither squat a credit code nor reveal one; the enterprise and its user are
    created, and the district told, only when the link mailed to the address is followed (SECURITY.md: accounts)."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("电子邮箱"))
    data = models.JSONField(_("注册信息"), encoder=DjangoJSONEncoder)
    password_hash = models.CharField(_("密码摘要"), max_length=255)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("待确认邮箱的注册")
        verbose_name_plural = _("待确认邮箱的注册")

    def __str__(self):
        return f"{self.data.get('name', '')} <{self.email}>"
