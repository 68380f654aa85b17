"""What evaluation adds to the navigation and to a company's page."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.access import allowed
from accounts.models import Role
from evaluation import selectors
from evaluation.models import Assessment, AssessmentStatus, ExpertScoring
from greenfactory.portal import (
    NavItem,
    Panel,
    TodoItem,
    TodoSource,
    kept,
    register_nav,
    register_organisation_panel,
    register_todo,
)


def _to_confirm(user):
    """Assessments of the official's scope whose assigned experts have all submitted (none open, at least one in)."""
    scorings = ExpertScoring.objects.filter(assessment=OuterRef("pk"))
    return Assessment.objects.visible_to(user).filter(status=AssessmentStatus.SCORING).filter(
        Exists(scorings.filter(submitted_at__isnull=False))).exclude(
        Exists(scorings.filter(submitted_at__isnull=True, task__status__in=("assigned", "accepted"))))


def _to_confirm_count(user):
    return _to_confirm(user).count()


def _to_confirm_items(user, limit):
    for assessment in _to_confirm(user).select_related("entry__enterprise").only(
            "public_id", "created_at", "entry__enterprise__name")[:limit]:
        yield TodoItem(title=_("确认评估结果：%(name)s") % {"name": assessment.entry.enterprise.name},
                       url=reverse("evaluation:assessment_detail", args=[assessment.public_id]),
                       since=assessment.created_at, detail=_("专家已提交评分"))


def _company_figures(user, organisation):
    """The years a company has entered, newest first, linked to each record (one query, kept per user, company and
    language: figures change only through the portal's posted forms, which move the generations ``kept`` compares)."""
    def read():
        return [(year, figures.public_id) for year, figures in
                sorted(selectors.figures_by_year(user, organisation.pk).items(), reverse=True)]
    return {"years": kept(f"company-figures:{user.pk}:{get_language()}:{organisation.pk}", read)}


def register():
    register_nav(NavItem("cultivation", _("绿色培育"), "evaluation:my_cultivation", frozenset({Role.ENTERPRISE}),
                         icon="flower1", order=33))
    register_nav(NavItem("plans", _("提升方案进展"), "evaluation:plan_overview", frozenset({Role.DISTRICT, Role.CITY}),
                         icon="list-check", order=45))
    register_nav(NavItem("cultivation_overview", _("培育总览"), "evaluation:cultivation_overview",
                         frozenset({Role.CITY, Role.ADMIN}), icon="graph-up", order=46))
    register_todo(TodoSource("evaluation.to_confirm", _("待确认的评估"), frozenset({Role.DISTRICT, Role.CITY}),
                             _to_confirm_count, _to_confirm_items, order=30))
    register_nav(NavItem("figures", _("年度绩效数据"), "evaluation:figures_list", frozenset({Role.ENTERPRISE}),
                         icon="bar-chart-line", order=35,
                         visible=lambda user: allowed("evaluation.enter_figures", user)))
    register_organisation_panel(Panel("evaluation.company_figures", "evaluation/panels/company_figures.html",
                                      frozenset({Role.DISTRICT, Role.CITY, Role.ADMIN}), _company_figures, order=20))
