"""Choices of review assignments, kept apart from the model so that access.py can name them without importing
models (the model imports access for its transitions' permissions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role


class ReviewTaskKind(models.TextChoices):
    EVALUATION = "evaluation", _("第三方评价委托")
    EXPERT_REVIEW = "expert_review", _("专家评审")
    ON_SITE = "on_site", _("现场核查")
    DEPARTMENT_OPINION = "department_opinion", _("部门意见")
    # 第十一条: the city's own review of a recommended application's materials.
    MATERIALS_REVIEW = "materials_review", _("材料审查")


class ReviewTaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("已指派")
    ACCEPTED = "accepted", _("已接受")
    DONE = "done", _("已完成")
    DECLINED = "declined", _("已谢绝")
    # Withdrawn by whoever asked, before it was done (an applicant's commission left unanswered).
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_REVIEW_TASK_STATES = (ReviewTaskStatus.ASSIGNED, ReviewTaskStatus.ACCEPTED)
# A task that no longer gives its assignee sight of the case.
ENDED_UNDONE_STATES = (ReviewTaskStatus.DECLINED, ReviewTaskStatus.WITHDRAWN)

# The people who take each kind of task other than an evaluation commission (which goes to an organisation): an
# on-site check is an expert's (cultivation) or the city's own staff's (第十一条 现场核实); the materials review is the
# city's.
PERSONAL_TASK_KINDS = {
    ReviewTaskKind.EXPERT_REVIEW: frozenset({Role.EXPERT}),
    ReviewTaskKind.ON_SITE: frozenset({Role.EXPERT, Role.CITY}),
    ReviewTaskKind.DEPARTMENT_OPINION: frozenset({Role.DEPARTMENT}),
    ReviewTaskKind.MATERIALS_REVIEW: frozenset({Role.CITY}),
}

# Who asks for what (beyond the city, which may ask for every kind a case offers): a district orders expert reviews
# and on-site checks of its district's cases (DESIGN.md: an expert is "an assessor the city or a district assigns");
# the applicant commissions its own evaluator (第九条: the unit commissions the third-party evaluation).
DISTRICT_TASK_KINDS = frozenset({ReviewTaskKind.EXPERT_REVIEW, ReviewTaskKind.ON_SITE})
APPLICANT_TASK_KINDS = frozenset({ReviewTaskKind.EVALUATION})
# What the city asks for in its review of a certification application and on its proposed list (第十一条).
CITY_TASK_KINDS = frozenset({ReviewTaskKind.MATERIALS_REVIEW, ReviewTaskKind.ON_SITE, ReviewTaskKind.EXPERT_REVIEW,
                             ReviewTaskKind.DEPARTMENT_OPINION})
