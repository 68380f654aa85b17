"""The district's review passes over a submitted certification application (第十条 评估确认): the checklist of each
pass, the items sent back to the applicant and its answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models.certification import CertificationApplication
from greenfactory.documents import StoredDocument
from greenfactory.uploads import GeneratedName
from greenfactory.workflow import COMMENT_MAX_LENGTH

# --- The district's review (第十条 评估确认) --------------------------------------------------------------------------


class ReviewOutcome(models.TextChoices):
    MORE = "more", _("要求补充材料")
    RECOMMENDED = "recommended", _("推荐")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("不予推荐")


class Verdict(models.TextChoices):
    OK = "ok", _("符合")
    MORE = "more", _("需补充")


class DistrictReview(models.Model):
    """One pass of the district's checklist over a submitted application (第十条: 重点关注绿色制造标准指标完成情况、
    第三方评价报告，审查上报资料的真实性、合规性). It ends with an outcome; a pass that asks for more is a review
    round: its items marked 需补充 go to the applicant, who answers each by ``due_on`` (working days)."""

    application = models.ForeignKey(CertificationApplication, on_delete=models.CASCADE, related_name="reviews",
                                    verbose_name=_("认定申报"))
    number = models.PositiveSmallIntegerField(_("轮次"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("审核人"))
    created_at = models.DateTimeField(_("开始时间"), default=timezone.now, editable=False)
    outcome = models.CharField(_("审核结果"), max_length=12, choices=ReviewOutcome.choices, blank=True)
    closed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    due_on = models.DateField(_("补充材料期限"), null=True, blank=True)
    answered_at = models.DateTimeField(_("补充材料提交时间"), null=True, blank=True)

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("区县审核")
        verbose_name_plural = _("区县审核")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="one_review_per_number",
                                    violation_error_message=_("该轮审核已经存在。")),
            models.UniqueConstraint(fields=["application"], condition=Q(outcome=""), name="one_open_review",
                                    violation_error_message=_("该申报已有进行中的审核。")),
        ]

    def __str__(self):
        return _("第%(n)s轮审核") % {"n": self.number}


class ReviewItem(models.Model):
    """One line of a pass's checklist: the official's verdict and comment, and, when sent back, the applicant's
    answer (with files, ``ReviewAnswerFile``)."""

    review = models.ForeignKey(DistrictReview, on_delete=models.CASCADE, related_name="items",
                               verbose_name=_("区县审核"))
    key = models.CharField(_("审核事项"), max_length=20)
    verdict = models.CharField(_("审核意见"), max_length=6, choices=Verdict.choices, blank=True)
    comment = models.TextField(_("说明"), max_length=COMMENT_MAX_LENGTH, blank=True)
    answer = models.TextField(_("补充说明"), max_length=COMMENT_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("补充时间"), null=True, blank=True)

    class Meta:
        ordering = ["review", "id"]
        verbose_name = _("审核事项")
        verbose_name_plural = _("审核事项")
        constraints = [models.UniqueConstraint(fields=["review", "key"], name="one_review_item_per_key",
                                               violation_error_message=_("该审核事项已经存在。"))]

    def __str__(self):
        return self.key


class ReviewAnswerFile(StoredDocument):
    owner_field = "item"

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="files", verbose_name=_("审核事项"))
    file = models.FileField(_("补充材料"), upload_to=GeneratedName("certification-answers"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("补充材料")
        verbose_name_plural = _("补充材料")
        constraints = [models.UniqueConstraint(fields=["item", "version"], name="one_answer_file_per_version",
                                               violation_error_message=_("该补充材料版本已经存在。"))]
