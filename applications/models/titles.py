"""Certified titles (称号, 第十二条: 重庆市绿色工厂 / 重庆市绿色园区), their certificates (证书: one stored PDF a
title,
issued again only when what it shows changes) and the batches in which a decision's certificates are generated."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.models import District, Industry, Organisation
from applications.access import can_city_review
from applications.models.certification import CertificationApplication, UnitKind
from applications.models.publicity import CertificationDecision
from greenfactory.documents import StoredDocument
from greenfactory.uploads import GeneratedName
from greenfactory.workflow import COMMENT_MAX_LENGTH, ReloadableStateMixin, transition

# The title each kind of unit is granted (第十二条).
TITLE_NAMES = {UnitKind.FACTORY: _("重庆市绿色工厂"), UnitKind.PARK: _("重庆市绿色园区")}
# The certificate number's prefix per kind: GF (green factory) / GP (green park), then the year and a serial.
NUMBER_PREFIX = {UnitKind.FACTORY: "CQGF", UnitKind.PARK: "CQGP"}


class TitleStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REVOKED = "revoked", _("已撤销")


class TitleQuerySet(models.QuerySet):
    def published(self):
        """第三条 公开: every title the city has granted, valid or revoked, is on the public directory."""
        return self.all()

    def visible_to(self, user):
        # The directory is public; the signed-in views read the same rows.
        return self.all()


class Title(ReloadableStateMixin, models.Model):
    """A certified title of one unit for its year, granted by a decision. ``active → revoked`` for one of the seven
    causes of 第十七条, which starts the three-year ban of 第十八条 (``ApplicationBan``)."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(CertificationApplication, on_delete=models.PROTECT, related_name="title",
                                       verbose_name=_("认定申报"))
    decision = models.ForeignKey(CertificationDecision, on_delete=models.PROTECT, related_name="titles",
                                 verbose_name=_("认定决定"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="titles",
                                     verbose_name=_("单位"))
    unit_kind = models.CharField(_("类别"), max_length=10, choices=UnitKind.choices)
    name = models.CharField(_("单位名称"), max_length=200)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("所属行业"))
    year = models.PositiveSmallIntegerField(_("认定年度"))
    number = models.CharField(_("证书编号"), max_length=20, unique=True)
    certified_on = models.DateField(_("认定日期"))
    status = FSMField(_("状态"), max_length=10, choices=TitleStatus.choices, default=TitleStatus.ACTIVE,
                      protected=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True, editable=False)
    # 第十二条 择优推荐: marked by the city for the national level.
    national_recommended = models.BooleanField(_("择优推荐国家级"), default=False, editable=False)
    national_note = models.CharField(_("推荐说明"), max_length=200, blank=True, editable=False)

    objects = TitleQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "number"]
        verbose_name = _("称号")
        verbose_name_plural = _("称号")
        indexes = [
            models.Index(fields=["year", "unit_kind", "district"], name="title_directory"),
            models.Index(fields=["organisation", "-year"], name="title_organisation"),
        ]

    def __str__(self):
        return f"{self.name} {self.year}年度{self.title_name}"

    @property
    def title_name(self) -> str:
        return str(TITLE_NAMES[UnitKind(self.unit_kind)])

    @transition(source=TitleStatus.ACTIVE, target=TitleStatus.REVOKED, label=_("撤销称号"),
                permission=lambda instance, user: can_city_review(user, instance))
    def revoke(self, by=None, description=None):
        self.revoked_on = timezone.localdate()


class Certificate(StoredDocument):
    """The certificate of a title as issued: a PDF stored once; a new version only when what it shows changed
    (``shows``: the unit's name, title, year, number, issuer and date, compared before issuing again)."""

    owner_field = "title"

    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("称号"))
    file = models.FileField(_("证书"), upload_to=GeneratedName("certificates"), max_length=200)
    shows = models.CharField(_("证书内容摘要"), max_length=64, editable=False)

    class Meta(StoredDocument.Meta):
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        constraints = [models.UniqueConstraint(fields=["title", "version"], name="one_certificate_per_version",
                                               violation_error_message=_("该证书版本已经存在。")),
                       models.UniqueConstraint(fields=["title", "shows"], name="one_certificate_per_content",
                                               violation_error_message=_("该证书已经生成。"))]


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("生成失败")


class CertificateBatch(models.Model):
    """The generation of a decision's certificates (and its PDF) by the Celery workers: how many there are, how many
    are done, for the city's progress bar. Running it again generates only what is missing."""

    decision = models.ForeignKey(CertificationDecision, on_delete=models.PROTECT, related_name="batches",
                                 verbose_name=_("认定决定"))
    status = models.CharField(_("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    total = models.PositiveIntegerField(_("证书总数"), default=0)
    done = models.PositiveIntegerField(_("已生成"), default=0)
    error = models.TextField(_("错误信息"), max_length=COMMENT_MAX_LENGTH, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("发起人"))
    requested_at = models.DateTimeField(_("发起时间"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("证书生成批次")
        verbose_name_plural = _("证书生成批次")
        constraints = [models.UniqueConstraint(fields=["decision"], condition=Q(status__in=["queued", "running"]),
                                               name="one_running_certificate_batch",
                                               violation_error_message=_("该决定的证书正在生成。"))]

    def __str__(self):
        return f"{self.decision_id}: {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)
