"""Support in the cultivation stage (notice 三（二）): training and exchange events (培训交流) that a district or the
city publishes and library enterprises sign up for, with attendance; and technical assistance (技术帮扶) by a
third-party organisation of the register, assigned to a library entry, with its visit records."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.choices import Role
from accounts.models import District, Organisation
from accounts.scope import SEES_EVERYTHING, ScopedQuerySet, signed_in
from applications.models import LibraryEntry
from greenfactory.workflow import COMMENT_MAX_LENGTH


class TrainingEventQuerySet(ScopedQuerySet):
    """Events of the user's district and city-wide ones, for everyone signed in who belongs to a district (or the
    city); the organising district sees its own."""

    audience_path = "district_id"

    def published(self):
        return self.filter(cancelled_at__isnull=True)


class TrainingKind(models.TextChoices):
    TRAINING = "training", _("培训")
    EXCHANGE = "exchange", _("交流")
    VISIT = "visit", _("现场观摩")


class TrainingEvent(models.Model):
    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("活动名称"), max_length=120)
    kind = models.CharField(_("活动类型"), max_length=10, choices=TrainingKind.choices, default=TrainingKind.TRAINING)
    # Empty: a city-wide event (the city publishes it); else the district's own.
    district = models.ForeignKey(District, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("区县"))
    starts_at = models.DateTimeField(pgettext_lazy("event", "开始时间"))
    place = models.CharField(_("地点"), max_length=120)
    capacity = models.PositiveIntegerField(_("名额（家）"), null=True, blank=True,
                                           validators=[MaxValueValidator(10000)], help_text=_("留空为不限名额。"))
    description = models.TextField(_("活动内容"), max_length=COMMENT_MAX_LENGTH * 2, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("发布人"))
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now, editable=False)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True, editable=False)

    objects = TrainingEventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("培训交流活动")
        verbose_name_plural = _("培训交流活动")

    def __str__(self):
        return self.title

    def is_open_for_sign_up(self, now=None) -> bool:
        return self.cancelled_at is None and self.starts_at > (now or timezone.now())


class TrainingSignUp(models.Model):
    """A library enterprise's registration for an event, and (recorded by the organiser) whether it attended."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="sign_ups",
                              verbose_name=_("活动"))
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("企业"))
    attendees = models.CharField(_("参加人员"), max_length=200)
    signed_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("报名人"))
    signed_up_at = models.DateTimeField(_("报名时间"), default=timezone.now, editable=False)
    attended = models.BooleanField(_("出席"), null=True, blank=True)

    class Meta:
        ordering = ["signed_up_at", "id"]
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [models.UniqueConstraint(fields=["event", "unit"], name="one_sign_up_per_unit",
                                               violation_error_message=_("贵单位已报名该活动。"))]

    def __str__(self):
        return f"{self.unit}：{self.event}"


class AssistanceQuerySet(ScopedQuerySet):
    """The entry's district and the city; the enterprise its own; the assisting organisation's users theirs."""

    district_path = "district_id"
    applicant_path = "unit_id"

    def visible_to(self, user):
        if not signed_in(user):
            return self.none()
        if user.role not in SEES_EVERYTHING and user.role == Role.EVALUATOR and user.organisation_id:
            return self.filter(Q(organisation_id=user.organisation_id))
        return super().visible_to(user)


class TechnicalAssistance(models.Model):
    """A third-party organisation assigned by the district (or the city) to help a library entry (技术帮扶)."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(LibraryEntry, on_delete=models.PROTECT, related_name="+", verbose_name=_("培育库企业"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("企业"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("帮扶机构"))
    scope = models.CharField(_("帮扶内容"), max_length=300)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("指派人"))
    assigned_at = models.DateTimeField(_("指派时间"), default=timezone.now, editable=False)

    objects = AssistanceQuerySet.as_manager()

    class Meta:
        ordering = ["-assigned_at", "-id"]
        verbose_name = _("技术帮扶")
        verbose_name_plural = _("技术帮扶")

    def __str__(self):
        return f"{self.organisation}：{self.entry}"


class AssistanceVisit(models.Model):
    assistance = models.ForeignKey(TechnicalAssistance, on_delete=models.PROTECT, related_name="visits",
                                   verbose_name=_("技术帮扶"))
    visited_on = models.DateField(_("帮扶日期"))
    content = models.TextField(_("帮扶情况"), max_length=COMMENT_MAX_LENGTH)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("帮扶记录")
        verbose_name_plural = _("帮扶记录")

    def __str__(self):
        return f"{self.assistance}：{self.visited_on}"
