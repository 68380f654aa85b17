"""What happens to a title after certification. Revocation (撤销称号, 第十七条): one of the seven causes of the
article, the facts, the document number of the revocation, its date and an attachment; it is announced (发文公告,
第十八条) on the public site and as an official document, and starts the three-year ban the applications app keeps."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from applications.models import Title
from greenfactory.documents import StoredDocument
from greenfactory.uploads import GeneratedName


class RevocationCause(models.TextChoices):
    """第十七条: 园区或企业有下列情形之一的，撤销其市级绿色园区、绿色工厂称号 — in the article's words."""

    NO_REREVIEW = "1", _("未按规定参加复审或动态管理的")
    REREVIEW_FAILED = "2", _("复审结果不合格的")
    TERMINATED = "3", _("被依法终止的")
    FALSE_MATERIALS = "4", _("被发现提供虚假材料和数据的")
    ACCIDENT = "5", _("发生较大及以上安全、环境、质量等事故的")
    BLACKLISTED = "6", _("被列入失信黑名单的")
    OTHER_VIOLATION = "7", _("发生其他重大违法违纪行为的")


# （一）…（七）: how the article numbers its items.
CAUSE_NUMBERS = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六", "7": "七"}


class RevocationQuerySet(models.QuerySet):
    def published(self):
        """第十八条 发文公告: every revocation is announced on the public site from the day it is recorded."""
        return self.all()


class Revocation(models.Model):
    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    title = models.OneToOneField(Title, on_delete=models.PROTECT, related_name="revocation", verbose_name=_("称号"))
    cause = models.CharField(_("撤销原因"), max_length=2, choices=RevocationCause.choices)
    facts = models.TextField(_("事实与依据"), max_length=3000)
    document_number = models.CharField(_("撤销文号"), max_length=50, unique=True,
                                       error_messages={"unique": _("该文号已被其他撤销决定使用。")})
    revoked_on = models.DateField(_("撤销日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("经办人"))
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now, editable=False)

    objects = RevocationQuerySet.as_manager()

    class Meta:
        ordering = ["-revoked_on", "-id"]
        verbose_name = _("撤销称号")
        verbose_name_plural = _("撤销称号")

    def __str__(self):
        return _("撤销%(name)s%(year)s年度%(title)s称号") % {
            "name": self.title.name, "year": self.title.year, "title": self.title.title_name}

    @property
    def cause_text(self) -> str:
        """The cause as the announcement cites it: 第十七条（四）被发现提供虚假材料和数据的."""
        # The article's own numbering in Chinese (第十七条（四）); in English its digit (Article 17 (4)).
        number = CAUSE_NUMBERS[self.cause] if (get_language() or "zh").startswith("zh") else self.cause
        return _("第十七条（%(number)s）%(text)s") % {"number": number, "text": self.get_cause_display()}


class RevocationAttachment(StoredDocument):
    """The revocation's supporting document (the signed decision, the evidence): for the city's staff only."""

    owner_field = "revocation"

    revocation = models.ForeignKey(Revocation, on_delete=models.PROTECT, related_name="attachments",
                                   verbose_name=_("撤销称号"))
    file = models.FileField(_("附件"), upload_to=GeneratedName("revocations"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("撤销附件")
        verbose_name_plural = _("撤销附件")
        constraints = [models.UniqueConstraint(fields=["revocation", "version"], name="one_revocation_file_per_version",
                                               violation_error_message=_("该附件版本已经存在。"))]
