"""Choices shared by the models and the access rules (kept apart so access.py need not import models)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    PARK = "park", _("园区")
    DISTRICT = "district", _("区县经信部门")
    CITY = "city", _("市经济信息委")
    EXPERT = "expert", _("专家")
    EVALUATOR = "evaluator", _("第三方评价机构")
    DEPARTMENT = "department", _("市级相关部门")
    ADMIN = "admin", _("系统管理员")


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACTIVE = "active", _("正常")
    REFUSED = "refused", _("注册未通过")


class DeadlineKind(models.TextChoices):
    """What a clock (``accounts.models.Deadline``) runs for. One list for every workflow, as the audit actions are:
    a transition declares the kinds it stops (``@transition(stops=...)``)."""

    INTAKE_SUBMISSION = "intake_submission", _("提交入库申请")
    REGISTRATION_REVIEW = "registration_review", _("审核企业注册")
    REVIEW_TASK = "review_task", _("完成评审任务")
    IMPROVEMENT_MEASURE = "improvement_measure", _("完成绿色化改造项目")
    ASSESSMENT_CONFIRMATION = "assessment_confirmation", _("确认评估结果")
    CERTIFICATION_SUBMISSION = "certification_submission", _("提交认定申报")
    CERTIFICATION_RECOMMENDATION = "certification_recommendation", _("审核认定申报并推荐")
    REVIEW_ROUND_ANSWER = "review_round_answer", _("补充认定申报材料")
    CITY_REVIEW = "city_review", _("市级审查认定申报")
    OBJECTION_HANDLING = "objection_handling", _("处理公示异议")
    CERTIFICATION_DECISION = "certification_decision", _("公示期满发文认定")


class MessageKind(models.TextChoices):
    """Kinds of inbox message; each user chooses per kind whether it is also mailed (the inbox always gets it)."""

    TASK = "task", _("待办通知（有事项需要您办理）")
    DECISION = "decision", _("办理结果（申请被审核、退回、恢复）")
    ANNOUNCEMENT = "announcement", _("工作通知（截止日期变更、提前结束等）")
    REMINDER = "reminder", _("期限提醒")
    CHASE = "chase", _("催办")
    OTHER = "other", _("其他消息")
