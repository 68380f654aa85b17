"""Certification, part 1 (认定申报, 第三条、第六条至第十条): the city's annual round, the application of a factory or a
park with its basic conditions answered item by item, and the district's review passes (评估确认) with the items sent
back to the applicant and its answers.

The application's state lives here; the scored work (self-evaluation, the evaluator register, the evaluation report)
lives in ``evaluation`` and hands its outcome down as facts (scores, conclusion, the report's id), which the guards
of the transitions read.
"""

import uuid
from datetime import datetime, time

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accounts.choices import DeadlineKind
from accounts.models import District, Industry, Organisation
from accounts.scope import ScopedQuerySet, signed_in
from applications.access import (
    can_city_review,
    can_edit_certification,
    can_review_certification,
    is_commissioned_evaluator,
)
from applications.choices import ReviewTaskKind
from applications.models.library import LibraryEntry
from greenfactory.documents import StoredDocument
from greenfactory.uploads import GeneratedName
from greenfactory.workdays import SHANGHAI
from greenfactory.workflow import COMMENT_MAX_LENGTH, ReloadableStateMixin, transition

# 渝经信节能〔2023〕23号: one legal entity may carry out at most 15 evaluations per batch.
DEFAULT_EVALUATOR_CAP = 15


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A round is the city's public call (第三条): every signed-in user reads it.
        return self.all() if signed_in(user) else self.none()

    def published(self, day=None):
        """The rounds announced on the public site: from their opening day."""
        return self.filter(opens_on__lte=day or timezone.localdate())


class CertificationRound(models.Model):
    """年度认定工作 (第三条: 每年认定一次): the city's call for a year, with its two deadlines."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("认定年度"), unique=True,
                                            validators=[MinValueValidator(2000), MaxValueValidator(2100)],
                                            error_messages={"unique": _("该年度的认定工作已经发布，每年认定一次。")})
    title = models.CharField(_("名称"), max_length=100)
    document_number = models.CharField(_("通知文号"), max_length=50, blank=True,
                                       help_text=_("如：渝经信节能〔2026〕8号"))
    notice = models.TextField(_("通知内容"), max_length=5000, blank=True,
                              help_text=_("在门户网站公开发布的通知正文。"))
    opens_on = models.DateField(_("开始日期"))
    application_deadline = models.DateField(
        _("申报截止日期"), help_text=_("企业、园区向区县经信部门提交申请的截止日（当天24时前）。"))
    recommendation_deadline = models.DateField(
        _("区县推荐截止日期"), help_text=_("区县经信部门向市经济信息委推荐的截止日（当天24时前）。"))
    evaluator_cap = models.PositiveSmallIntegerField(
        _("每家评价机构评价上限（家）"), default=DEFAULT_EVALUATOR_CAP,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("同一第三方评价机构在本年度认定中最多承接的评价数量。"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("发布人"))
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now, editable=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度认定工作")
        verbose_name_plural = _("年度认定工作")
        constraints = [
            models.CheckConstraint(condition=Q(application_deadline__gte=models.F("opens_on")),
                                   name="round_deadline_after_opening",
                                   violation_error_message=_("申报截止日期不能早于开始日期。")),
            models.CheckConstraint(condition=Q(recommendation_deadline__gte=models.F("application_deadline")),
                                   name="round_recommendation_after_applications",
                                   violation_error_message=_("区县推荐截止日期不能早于申报截止日期。")),
        ]

    def __str__(self):
        return self.title

    @staticmethod
    def _end_of(day):
        return datetime.combine(day, time.max, tzinfo=SHANGHAI)

    def applications_close_at(self):
        return self._end_of(self.application_deadline)

    def recommendations_close_at(self):
        return self._end_of(self.recommendation_deadline)

    def takes_applications(self, now=None) -> bool:
        now = now or timezone.now()
        return timezone.localdate(now) >= self.opens_on and now <= self.applications_close_at()

    def takes_recommendations(self, now=None) -> bool:
        return (now or timezone.now()) <= self.recommendations_close_at()

    def get_phase_display(self, now=None) -> str:
        now = now or timezone.now()
        if timezone.localdate(now) < self.opens_on:
            return str(_("尚未开始"))
        if now <= self.applications_close_at():
            return str(_("申报中"))
        if now <= self.recommendations_close_at():
            return str(_("区县推荐中"))
        return str(_("推荐已截止"))


class UnitKind(models.TextChoices):
    FACTORY = "factory", _("绿色工厂")
    PARK = "park", _("绿色园区")


class FactoryCondition(models.TextChoices):
    """第七条 申报绿色工厂的基本条件."""

    REGISTERED = "1", _("企业工商注册和税收解缴在本市辖区内，且从事实际生产的制造型企业")
    ECONOMIC_BASE = "2", _("企业具有较好的经济技术基础和经济效益，在全市同行业中具有明显的竞争优势")
    NO_ACCIDENT_NO_DISCREDIT = "3", _("企业近三年（含成立不足三年）未发生较大及以上安全、质量、环境污染等事故，"
                                      "未被列入失信企业、法人代表黑名单")
    GREEN_ORGANISATION = "4", _("企业高度重视绿色发展，内部设有相关管理机构，负责有关绿色发展的制度建设、教育培训、"
                                "实施、考核及奖励工作，建立目标责任制")
    PLANNING = "5", _("企业制定了绿色工厂建设中长期规划、量化的年度目标和实施方案，并能确保对绿色工厂创建项目的"
                      "资金和资源投入")
    MANAGEMENT_SYSTEMS = "6", _("企业有较高的质量、职业健康、环保、安全生产和能源管理水平，不断健全环境管理体系、"
                                "职业健康安全管理体系、质量管理体系、能源管理体系")
    ADVANCED_INDICATORS = "7", _("企业用地集约化、原料无害化、生产洁净化、废物资源化、能源低碳化等指标处于全市先进水平")
    STANDARDS = "8", _("符合绿色工厂相关标准和评价要求")


class ParkCondition(models.TextChoices):
    """第六条 申报绿色园区的基本条件."""

    APPROVED_PARK = "1", _("应为经国家或市政府批准的经济技术开发区、高新技术产业开发区、工业集聚区和市级特色工业园区"
                           "及其独立组团")
    INDUSTRIAL_BASE = "2", _("园区具有较好的产业基础，基础设施完善、绿色制造水平高、经济效益显著，在全市园区中具有明显"
                             "的竞争优势和示范作用")
    NO_ACCIDENT_TARGETS_MET = "3", _("近三年未发生较大以上污染事故或生态破坏事件，完成市级或区县政府下达的"
                                     "节能减排目标，碳排放强度持续下降")
    GREEN_FACTORIES = "4", _("园区积极推动园区内企业开展绿色工厂创建，园区内参与绿色生产水平评估和获评绿色工厂企业"
                             "数量占比较高")
    NO_OBSOLETE = "5", _("园区内企业不使用国家列入淘汰目录的落后生产技术、工艺和设备，不生产国家列入淘汰目录的产品")
    GREEN_BODY = "6", _("园区建立履行绿色发展工作职责的专门机构，并配备专职工作人员")
    ADVANCED_INDICATORS = "7", _("园区在能源和资源利用、基础设施、产业发展、生态环境、运行管理等方面绿色化指标值处于"
                                 "全市先进水平")
    STANDARDS = "8", _("符合绿色园区相关标准和评价要求")


CONDITIONS = {UnitKind.FACTORY: FactoryCondition, UnitKind.PARK: ParkCondition}
# The negative list (否决项): a condition answered "不符合" here stops the application, whatever else it scores —
# 第七条（一）、（三）; 第六条（一）、（三）. The ban of 第十八条 is checked by the server, not declared.
VETO_CONDITIONS = frozenset({"1", "3"})


class CertificationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿（自评价）")
    EVALUATOR_COMMISSIONED = "evaluator_commissioned", _("第三方评价中")
    EVALUATED = "evaluated", _("已出具评价报告")
    SUBMITTED = "submitted", _("区县审核中")
    SUPPLEMENTING = "supplementing", _("补充材料中")
    RECOMMENDED = "recommended", _("已推荐至市经济信息委")
    RETURNED = "returned", _("已退回修改")
    REJECTED = "rejected", _("区县不予推荐")
    WITHDRAWN = "withdrawn", _("已撤回")
    # 第十一条: the city's review, the proposed list, the public notice and the decision.
    CITY_REVIEW = "city_review", _("市级审查中")
    PROPOSED = "proposed", _("已列入拟认定名单")
    IN_PUBLICITY = "in_publicity", _("公示中")
    CERTIFIED = "certified", _("已认定")
    NOT_CERTIFIED = "not_certified", _("未予认定")


# The states in which the applicant still edits its conditions and self-evaluation.
EDITABLE_STATES = (CertificationStatus.DRAFT, CertificationStatus.RETURNED)
# The states in which the case waits for the applicant (its to-do), the district, the evaluator.
APPLICANT_TURN = (CertificationStatus.DRAFT, CertificationStatus.EVALUATED, CertificationStatus.SUPPLEMENTING,
                  CertificationStatus.RETURNED)
DISTRICT_TURN = (CertificationStatus.SUBMITTED,)
# The states in which the applicant's and the district's part is over (the city's review follows a recommendation).
FINAL_STATES = (CertificationStatus.RECOMMENDED, CertificationStatus.REJECTED, CertificationStatus.WITHDRAWN,
                CertificationStatus.CITY_REVIEW, CertificationStatus.PROPOSED, CertificationStatus.IN_PUBLICITY,
                CertificationStatus.CERTIFIED, CertificationStatus.NOT_CERTIFIED)
# The states in which the city works on the case (第十一条), and the kinds of task it asks for during its review.
CITY_TURN = (CertificationStatus.RECOMMENDED, CertificationStatus.CITY_REVIEW)
CITY_REVIEW_KINDS = (ReviewTaskKind.MATERIALS_REVIEW, ReviewTaskKind.ON_SITE, ReviewTaskKind.EXPERT_REVIEW)


class CertificationQuerySet(ScopedQuerySet):
    """The city sees all; a district official its district's; the applicant (enterprise or park) its own; an
    evaluator the cases a (not declined) commission of its organisation is on."""

    district_path = "district_id"
    applicant_path = "applicant_id"
    assignment_path = "review_tasks"


def _passed_evaluation(instance) -> bool:
    return instance.evaluation_passed is True


def _may_evaluate_again(instance) -> bool:
    # After a report concluding 不符合, or when the district returned the case (it may ask for a new evaluation).
    return instance.status == CertificationStatus.RETURNED or instance.evaluation_passed is False


class CertificationApplication(ReloadableStateMixin, models.Model):
    """认定申报: one per enterprise or park per round (a withdrawn one may be started again)."""

    public_id = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(CertificationRound, on_delete=models.PROTECT, related_name="applications",
                              verbose_name=_("年度认定工作"))
    applicant = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="certification_applications",
                                  verbose_name=_("申报单位"))
    unit_kind = models.CharField(_("申报类别"), max_length=10, choices=UnitKind.choices)
    # The district that reviews and recommends it: the unit's district when the application was started.
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("区县"))
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("所属行业"))
    # 第八条 成熟一批，申报一批: a factory applies from its library entry marked ready; a park applies directly.
    library_entry = models.ForeignKey(LibraryEntry, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="certification_applications", verbose_name=_("培育库企业"))
    status = FSMField(_("状态"), max_length=24, choices=CertificationStatus.choices,
                      default=CertificationStatus.DRAFT, protected=True)
    unit_name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    summary = models.TextField(_("创建工作情况"), max_length=1000, blank=True,
                               help_text=_("绿色工厂（园区）创建的主要做法和成效，1000字以内。"))

    # Facts handed down by evaluation: the self-evaluation (第九条 自评价) and the third-party report.
    self_score = models.DecimalField(_("自评价得分"), max_digits=6, decimal_places=2, null=True, blank=True,
                                     editable=False)
    self_vetoed = models.BooleanField(_("自评价基本要求未通过"), null=True, blank=True, editable=False)
    self_evaluated_at = models.DateTimeField(_("自评价完成时间"), null=True, blank=True, editable=False)
    evaluator = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  editable=False, verbose_name=_("第三方评价机构"))
    evaluation_score = models.DecimalField(_("第三方评价得分"), max_digits=6, decimal_places=2, null=True,
                                           blank=True, editable=False)
    evaluation_passed = models.BooleanField(_("第三方评价结论"), null=True, blank=True, editable=False)
    evaluation_report_id = models.UUIDField(_("评价报告编号"), null=True, blank=True, editable=False)
    evaluated_at = models.DateTimeField(_("评价报告出具时间"), null=True, blank=True, editable=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("填报人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("区县审核时间"), null=True, blank=True, editable=False)
    decision_reason = models.TextField(_("区县审核意见"), max_length=COMMENT_MAX_LENGTH, blank=True, editable=False)
    # 第十一条: the city's review and the batch (拟认定名单) the application is proposed in.
    city_decided_at = models.DateTimeField(_("市级审查时间"), null=True, blank=True, editable=False)
    city_reason = models.TextField(_("市级审查意见"), max_length=COMMENT_MAX_LENGTH, blank=True, editable=False)
    # Sent back by the city to its district: the district may recommend it again after its round's deadline.
    city_returned_at = models.DateTimeField(_("市级退回时间"), null=True, blank=True, editable=False)
    proposed_list = models.ForeignKey("applications.ProposedList", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="applications", editable=False, verbose_name=_("拟认定名单"))
    review_tasks = GenericRelation("applications.ReviewTask", related_query_name="certification_application")

    objects = CertificationQuerySet.as_manager()

    # 第九条: the applicant commissions its third-party evaluator; the evaluation report completes the commission.
    # 第十一条: the city asks its staff for the materials review and the on-site verification, and experts for
    # their review, while the case is in its review; the opinion each writes completes the task.
    review_task_kinds = (ReviewTaskKind.EVALUATION, *CITY_REVIEW_KINDS)
    review_task_states = {ReviewTaskKind.EVALUATION: (CertificationStatus.DRAFT,),
                          **{kind: (CertificationStatus.CITY_REVIEW,) for kind in CITY_REVIEW_KINDS}}
    review_task_kinds_by_role = {"enterprise": (ReviewTaskKind.EVALUATION,), "park": (ReviewTaskKind.EVALUATION,),
                                 "city": CITY_REVIEW_KINDS}
    review_task_roles = {ReviewTaskKind.MATERIALS_REVIEW: ("city",), ReviewTaskKind.ON_SITE: ("city",),
                         ReviewTaskKind.EXPERT_REVIEW: ("expert",)}
    review_tasks_completed_by_case = True
    # An evaluator that declines the commission gives the case back to the applicant to choose another.
    review_task_decline_fires = {ReviewTaskKind.EVALUATION: "commission_declined"}

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("认定申报")
        verbose_name_plural = _("认定申报")
        constraints = [
            models.UniqueConstraint(fields=["round", "applicant"], condition=~Q(status="withdrawn"),
                                    name="one_certification_per_unit_and_round",
                                    violation_error_message=_("该单位在本年度认定中已有申报，每年只能申报一次。")),
        ]
        indexes = [
            # The district's queue: its applications in a round by state; the city's by state.
            models.Index(fields=["district", "round", "status"], name="certification_district_queue"),
            models.Index(fields=["round", "status"], name="certification_round_status"),
            models.Index(fields=["applicant", "-created_at"], name="certification_applicant"),
        ]

    def __str__(self):
        return _("%(unit)s %(year)s年度%(kind)s认定申报") % {
            "unit": self.unit_name, "year": self.round.year, "kind": self.get_unit_kind_display()}

    @property
    def conditions(self):
        return CONDITIONS[UnitKind(self.unit_kind)]

    @property
    def is_park(self) -> bool:
        return self.unit_kind == UnitKind.PARK

    # --- Transitions, fired by applications.services.certification (第九条、第十条). -----------------------------

    @transition(source=CertificationStatus.DRAFT, target=CertificationStatus.EVALUATOR_COMMISSIONED,
                label=_("委托第三方评价"), permission=lambda instance, user: can_edit_certification(user, instance))
    def commission(self, by=None, description=None):
        pass

    @transition(source=CertificationStatus.EVALUATOR_COMMISSIONED, target=CertificationStatus.DRAFT,
                label=_("评价机构谢绝委托"),
                permission=lambda instance, user: is_commissioned_evaluator(user, instance))
    def commission_declined(self, by=None, description=None):
        self.evaluator = None

    @transition(source=CertificationStatus.EVALUATOR_COMMISSIONED, target=CertificationStatus.DRAFT,
                label=_("撤回评价委托"), permission=lambda instance, user: can_edit_certification(user, instance))
    def commission_withdrawn(self, by=None, description=None):
        self.evaluator = None

    @transition(source=CertificationStatus.EVALUATOR_COMMISSIONED, target=CertificationStatus.EVALUATED,
                label=_("出具评价报告"), permission=lambda instance, user: is_commissioned_evaluator(user, instance))
    def evaluate(self, by=None, description=None):
        self.evaluated_at = timezone.now()

    @transition(source=[CertificationStatus.EVALUATED, CertificationStatus.RETURNED], target=CertificationStatus.DRAFT,
                label=_("整改后重新评价"), conditions=[_may_evaluate_again],
                permission=lambda instance, user: can_edit_certification(user, instance))
    def restart(self, by=None, description=None):
        self.evaluator = None
        self.evaluation_passed = self.evaluation_score = self.evaluation_report_id = self.evaluated_at = None

    @transition(source=[CertificationStatus.EVALUATED, CertificationStatus.RETURNED],
                target=CertificationStatus.SUBMITTED, label=_("提交区县审核"), conditions=[_passed_evaluation],
                stops=(DeadlineKind.CERTIFICATION_SUBMISSION,),
                permission=lambda instance, user: can_edit_certification(user, instance))
    def submit(self, by=None, description=None):
        self.submitted_at = timezone.now()

    @transition(source=CertificationStatus.SUBMITTED, target=CertificationStatus.SUPPLEMENTING, label=_("要求补充材料"),
                stops=(DeadlineKind.CERTIFICATION_RECOMMENDATION,),
                permission=lambda instance, user: can_review_certification(user, instance))
    def request_more(self, by=None, description=None):
        pass

    @transition(source=CertificationStatus.SUPPLEMENTING, target=CertificationStatus.SUBMITTED, label=_("提交补充材料"),
                stops=(DeadlineKind.REVIEW_ROUND_ANSWER,),
                permission=lambda instance, user: can_edit_certification(user, instance))
    def answer(self, by=None, description=None):
        pass

    @transition(source=CertificationStatus.SUBMITTED, target=CertificationStatus.RECOMMENDED,
                label=_("推荐至市经济信息委"), stops=(DeadlineKind.CERTIFICATION_RECOMMENDATION,),
                permission=lambda instance, user: can_review_certification(user, instance))
    def recommend(self, by=None, description=None):
        self.decided_at = timezone.now()
        self.decision_reason = description or ""

    @transition(source=CertificationStatus.SUBMITTED, target=CertificationStatus.RETURNED, label=_("退回修改"),
                stops=(DeadlineKind.CERTIFICATION_RECOMMENDATION,),
                permission=lambda instance, user: can_review_certification(user, instance))
    def return_for_changes(self, by=None, description=None):
        self.decided_at = timezone.now()
        self.decision_reason = description or ""

    @transition(source=CertificationStatus.SUBMITTED, target=CertificationStatus.REJECTED, label=_("不予推荐"),
                stops=(DeadlineKind.CERTIFICATION_RECOMMENDATION,),
                permission=lambda instance, user: can_review_certification(user, instance))
    def reject(self, by=None, description=None):
        self.decided_at = timezone.now()
        self.decision_reason = description or ""

    # --- The city's part (第十一条), fired by applications.services.city_review and .publicity. ------------------

    @transition(source=CertificationStatus.RECOMMENDED, target=CertificationStatus.CITY_REVIEW, label=_("开始市级审查"),
                permission=lambda instance, user: can_city_review(user, instance))
    def start_city_review(self, by=None, description=None):
        pass

    @transition(source=CertificationStatus.CITY_REVIEW, target=CertificationStatus.PROPOSED,
                label=_("列入拟认定名单"), stops=(DeadlineKind.CITY_REVIEW,),
                permission=lambda instance, user: can_city_review(user, instance))
    def propose(self, by=None, description=None):
        self.city_decided_at = timezone.now()
        self.city_reason = description or ""

    @transition(source=CertificationStatus.PROPOSED, target=CertificationStatus.CITY_REVIEW,
                label=_("移出拟认定名单"), permission=lambda instance, user: can_city_review(user, instance))
    def unpropose(self, by=None, description=None):
        self.proposed_list = None
        self.city_reason = description or ""

    @transition(source=list(CITY_TURN), target=CertificationStatus.SUBMITTED, label=_("退回区县"),
                stops=(DeadlineKind.CITY_REVIEW,), permission=lambda instance, user: can_city_review(user, instance))
    def city_return(self, by=None, description=None):
        self.city_decided_at = self.city_returned_at = timezone.now()
        self.city_reason = description or ""

    @transition(source=[*CITY_TURN, CertificationStatus.PROPOSED], target=CertificationStatus.NOT_CERTIFIED,
                label=_("不予认定"), stops=(DeadlineKind.CITY_REVIEW,),
                permission=lambda instance, user: can_city_review(user, instance))
    def city_reject(self, by=None, description=None):
        self.proposed_list = None
        self.city_decided_at = timezone.now()
        self.city_reason = description or ""

    @transition(source=CertificationStatus.PROPOSED, target=CertificationStatus.IN_PUBLICITY, label=_("公示"),
                permission=lambda instance, user: can_city_review(user, instance))
    def publicise(self, by=None, description=None):
        pass

    @transition(source=CertificationStatus.IN_PUBLICITY, target=CertificationStatus.NOT_CERTIFIED,
                label=_("异议成立，不予认定"), permission=lambda instance, user: can_city_review(user, instance))
    def objection_upheld(self, by=None, description=None):
        self.city_decided_at = timezone.now()
        self.city_reason = description or ""

    @transition(source=CertificationStatus.IN_PUBLICITY, target=CertificationStatus.CERTIFIED, label=_("发文认定"),
                permission=lambda instance, user: can_city_review(user, instance))
    def certify(self, by=None, description=None):
        self.city_decided_at = timezone.now()

    @transition(source=[CertificationStatus.DRAFT, CertificationStatus.EVALUATED, CertificationStatus.RETURNED],
                target=CertificationStatus.WITHDRAWN, label=_("撤回申报"),
                stops=(DeadlineKind.CERTIFICATION_SUBMISSION,),
                permission=lambda instance, user: can_edit_certification(user, instance))
    def withdraw(self, by=None, description=None):
        pass


class ConditionAnswer(models.Model):
    """The applicant's answer to one basic condition (第六条 or 第七条, item by item): met or not, how, and the
    evidence files (``ConditionEvidence``)."""

    application = models.ForeignKey(CertificationApplication, on_delete=models.CASCADE, related_name="answers",
                                    verbose_name=_("认定申报"))
    item = models.CharField(_("条件"), max_length=2)
    met = models.BooleanField(_("是否符合"), null=True, blank=True)
    statement = models.TextField(_("情况说明"), max_length=COMMENT_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        ordering = ["application", "item"]
        verbose_name = _("基本条件")
        verbose_name_plural = _("基本条件")
        constraints = [models.UniqueConstraint(fields=["application", "item"], name="one_answer_per_condition",
                                               violation_error_message=_("该条件已经填写。"))]

    def __str__(self):
        return f"{self.application_id}:{self.item}"


class ConditionEvidence(StoredDocument):
    owner_field = "answer"

    answer = models.ForeignKey(ConditionAnswer, on_delete=models.CASCADE, related_name="evidence",
                               verbose_name=_("基本条件"))
    file = models.FileField(_("证明材料"), upload_to=GeneratedName("certification-conditions"), max_length=200)

    class Meta(StoredDocument.Meta):
        verbose_name = _("基本条件证明材料")
        verbose_name_plural = _("基本条件证明材料")
        constraints = [models.UniqueConstraint(fields=["answer", "version"], name="one_condition_evidence_per_version",
                                               violation_error_message=_("该证明材料版本已经存在。"))]
