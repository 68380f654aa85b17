"""The cultivation library (绿色工厂培育库): one entry per admitted enterprise and year."""

import uuid

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.models import District, Enterprise, Industry, Sector
from applications.access import can_judge_readiness
from applications.choices import ReviewTaskKind
from applications.models.campaigns import CultivationCampaign
from applications.models.intake import CaseQuerySet, IntakeApplication
from greenfactory.workflow import COMMENT_MAX_LENGTH, ReloadableStateMixin, transition


class LibraryStatus(models.TextChoices):
    CULTIVATING = "cultivating", _("培育中")
    READY = "ready", _("成熟（可申报）")


# Bands of the latest confirmed assessment score, for the library's filter (the bounds are the score's own: 0–100).
SCORE_BANDS = {"below60": (None, 60), "60to80": (60, 80), "80up": (80, None)}


class LibraryEntry(ReloadableStateMixin, models.Model):
    """An enterprise in a district's cultivation library (培育库), from its accepted intake application.

    The latest confirmed expert assessment is stored on the entry as facts handed down by ``evaluation`` (score,
    whether a veto failed, when), so that the library filters by score band and the readiness decision reads them
    without a join into the app above."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(IntakeApplication, on_delete=models.PROTECT, related_name="library_entry",
                                       verbose_name=_("入库申请"))
    campaign = models.ForeignKey(CultivationCampaign, on_delete=models.PROTECT, related_name="library_entries",
                                 verbose_name=_("年度培育工作"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="library_entries",
                                   verbose_name=_("企业"))
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("区县"))
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, verbose_name=_("所属行业"))
    sector = models.CharField(_("重点行业"), max_length=20, choices=Sector.choices)
    status = FSMField(_("培育状态"), max_length=12, choices=LibraryStatus.choices, default=LibraryStatus.CULTIVATING,
                      protected=True)
    entered_at = models.DateTimeField(_("入库时间"), default=timezone.now)
    assessed_score = models.DecimalField(_("最近评估得分"), max_digits=6, decimal_places=2, null=True, blank=True,
                                         editable=False)
    assessed_vetoed = models.BooleanField(_("基本要求未通过"), null=True, blank=True, editable=False)
    assessed_at = models.DateTimeField(_("最近评估确认时间"), null=True, blank=True, editable=False)
    readiness_note = models.TextField(_("成熟度意见"), max_length=COMMENT_MAX_LENGTH, blank=True, editable=False)
    review_tasks = GenericRelation("applications.ReviewTask", related_query_name="library_entry")

    objects = CaseQuerySet.as_manager()

    # Cultivation: experts assess the entry on the six areas of the evaluation system (DESIGN.md, "Cultivation").
    review_task_kinds = (ReviewTaskKind.EXPERT_REVIEW, ReviewTaskKind.ON_SITE)
    # An expert's assignment is completed by submitting the scores (evaluation), not from the task list.
    review_tasks_completed_by_case = True

    class Meta:
        ordering = ["district__position", "-entered_at"]
        verbose_name = _("培育库企业")
        verbose_name_plural = _("培育库企业")
        # Each filter of the library page has an index: the year (through the campaign), district and industry (their
        # foreign keys), the key sector and the cultivation status (these two). The page lists a district's entries
        # newest first (selectors.library_page_rows): the fourth serves that order. The score band filters by the
        # latest assessed score (the fifth).
        indexes = [models.Index(fields=["campaign", "district", "status"]), models.Index(fields=["sector"]),
                   models.Index(fields=["status"]), models.Index(fields=["district", "-entered_at", "-id"]),
                   models.Index(fields=["assessed_score"])]

    def __str__(self):
        return f"{self.enterprise}（{self.campaign.year}）"

    # --- Transitions, fired by applications.services.library (the district's readiness decision, 三（二）). --------

    @transition(source=LibraryStatus.CULTIVATING, target=LibraryStatus.READY, label=_("标记为成熟"),
                permission=lambda instance, user: can_judge_readiness(user, instance))
    def mark_ready(self, by=None, description=None):
        self.readiness_note = description or ""

    @transition(source=[LibraryStatus.CULTIVATING, LibraryStatus.READY], target=LibraryStatus.CULTIVATING,
                label=_("暂不成熟"), permission=lambda instance, user: can_judge_readiness(user, instance))
    def mark_not_ready(self, by=None, description=None):
        self.readiness_note = description or ""
