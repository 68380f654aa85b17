"""The public notice of a proposed list (公示, 第十一条: 在市经济信息委官网公示5个工作日), the objections anyone may
file during it, and the certification decision (发文认定) that follows when none is pending."""

import uuid
from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.choices import DeadlineKind
from applications.access import can_city_review
from applications.models.certification import CertificationApplication
from applications.models.city_review import ProposedList
from greenfactory.documents import StoredDocument
from greenfactory.uploads import GeneratedName
from greenfactory.workdays import SHANGHAI
from greenfactory.workflow import COMMENT_MAX_LENGTH, ReloadableStateMixin, transition

# 第十一条: 公示5个工作日.
NOTICE_WORKING_DAYS = 5


class PublicNoticeQuerySet(models.QuerySet):
    def published(self, now=None):
        """The notices on the public site: from their first day (Asia/Shanghai) on."""
        return self.filter(starts_on__lte=timezone.localdate(now))


class PublicNotice(models.Model):
    """公示: the proposed list published for five working days on the official calendar, with the city's channel for
    objections. What the public reads of each unit is its name, district, industry and kind: nothing of its staff."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    proposed_list = models.OneToOneField(ProposedList, on_delete=models.PROTECT, related_name="notice",
                                         verbose_name=_("拟认定名单"))
    title = models.CharField(_("公示标题"), max_length=100)
    body = models.TextField(_("公示说明"), max_length=3000)
    contact = models.CharField(_("异议受理渠道"), max_length=200,
                               help_text=_("市经济信息委受理异议的部门、电话或地址（公开显示，请勿填写个人信息）。"))
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("发布人"))
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now, editable=False)

    objects = PublicNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                              name="notice_ends_after_start",
                                              violation_error_message=_("公示截止日期不能早于开始日期。"))]

    def __str__(self):
        return self.title

    def opens_at(self) -> datetime:
        return datetime.combine(self.starts_on, time.min, tzinfo=SHANGHAI)

    def closes_at(self) -> datetime:
        """The end of the last day of the notice in Asia/Shanghai: an objection filed until then is on time."""
        return datetime.combine(self.ends_on, time.max, tzinfo=SHANGHAI)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at() <= now <= self.closes_at()

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) > self.closes_at()


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    INVESTIGATING = "investigating", _("调查核实中")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


OPEN_OBJECTION_STATES = (ObjectionStatus.PENDING, ObjectionStatus.INVESTIGATING)


class Objection(ReloadableStateMixin, models.Model):
    """异议: filed by anyone during the notice, under a real name, against one unit on it. The contact is for the
    city's answer only and is never shown publicly; the outcome is e-mailed to the objector when an address is given."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections",
                               verbose_name=_("公示"))
    application = models.ForeignKey(CertificationApplication, on_delete=models.PROTECT, related_name="objections",
                                    verbose_name=_("异议对象"))
    name = models.CharField(_("异议人姓名（单位名称）"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), max_length=120, blank=True)
    content = models.TextField(_("异议内容"), max_length=3000)
    status = FSMField(_("处理状态"), max_length=14, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING,
                      protected=True)
    outcome = models.TextField(_("处理意见"), max_length=COMMENT_MAX_LENGTH, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("处理人"))
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)
    # A hash of the address it came from (the rate limit's key is the address; this records it without keeping it).
    source = models.CharField(_("来源"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        indexes = [models.Index(fields=["notice", "status"], name="objection_notice_status")]
        constraints = [models.CheckConstraint(condition=~Q(phone="") | ~Q(email=""), name="objection_has_contact",
                                              violation_error_message=_("请至少填写联系电话或电子邮箱中的一项。"))]

    def __str__(self):
        return _("对%(unit)s的异议") % {"unit": self.application.unit_name}

    # --- Transitions, fired by applications.services.publicity: the city investigates, then upholds or dismisses.

    @transition(source=ObjectionStatus.PENDING, target=ObjectionStatus.INVESTIGATING, label=_("调查核实"),
                permission=lambda instance, user: can_city_review(user, instance))
    def investigate(self, by=None, description=None):
        pass

    @transition(source=list(OPEN_OBJECTION_STATES), target=ObjectionStatus.UPHELD, label=_("异议成立"),
                stops=(DeadlineKind.OBJECTION_HANDLING,),
                permission=lambda instance, user: can_city_review(user, instance))
    def uphold(self, by=None, description=None):
        self.outcome, self.handled_at = description or "", timezone.now()

    @transition(source=list(OPEN_OBJECTION_STATES), target=ObjectionStatus.DISMISSED, label=_("异议不成立"),
                stops=(DeadlineKind.OBJECTION_HANDLING,),
                permission=lambda instance, user: can_city_review(user, instance))
    def dismiss(self, by=None, description=None):
        self.outcome, self.handled_at = description or "", timezone.now()


class ObjectionFile(StoredDocument):
    owner_field = "objection"
    # Filed by the public: smaller than the portal's default limit.
    max_bytes = 10 * 1024 * 1024
    # Filed by someone without an account: no uploader.
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("上传人"))

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="files",
                                  verbose_name=_("公示异议"))
    file = models.FileField(_("证明材料"), upload_to=GeneratedName("objections"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("异议证明材料")
        verbose_name_plural = _("异议证明材料")
        constraints = [models.UniqueConstraint(fields=["objection", "version"], name="one_objection_file_per_version",
                                               violation_error_message=_("该证明材料版本已经存在。"))]


class DecisionQuerySet(models.QuerySet):
    def published(self):
        return self.all()


class CertificationDecision(models.Model):
    """发文认定 (第十一条、第十二条): the city's decision on a publicised list once its notice ended with no objection
    pending — its document number (渝经信节能〔2026〕12号), date and issuing body; each unit on it still in the notice
    becomes a certified title."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    proposed_list = models.OneToOneField(ProposedList, on_delete=models.PROTECT, related_name="decision",
                                         verbose_name=_("拟认定名单"))
    title = models.CharField(_("文件标题"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=50, unique=True,
                                       error_messages={"unique": _("该文号已被其他文件使用。")})
    issuer = models.CharField(_("发文机关"), max_length=100)
    issued_on = models.DateField(_("发文日期"))
    body = models.TextField(_("正文"), max_length=5000)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("签发人"))
    issued_at = models.DateTimeField(_("签发时间"), default=timezone.now, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("认定决定")
        verbose_name_plural = _("认定决定")

    def __str__(self):
        return f"{self.title}（{self.document_number}）"


class DecisionDocument(StoredDocument):
    """The decision laid out as an official document (GB/T 9704-2012), generated once with its certificates."""

    owner_field = "decision"

    decision = models.ForeignKey(CertificationDecision, on_delete=models.PROTECT, related_name="documents",
                                 verbose_name=_("认定决定"))
    file = models.FileField(_("决定文件"), upload_to=GeneratedName("decisions"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("认定决定文件")
        verbose_name_plural = _("认定决定文件")
        constraints = [models.UniqueConstraint(fields=["decision", "version"], name="one_decision_document_per_version",
                                               violation_error_message=_("该决定文件版本已经存在。"))]
