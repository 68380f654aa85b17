"""What evaluation adds to the navigation and to a company's page."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.access import allowed
from accounts.models import Role
from evaluation import selectors
from greenfactory.portal import NavItem, Panel, kept, register_nav, register_organisation_panel


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
    register_nav(NavItem("training", _("培训交流"), "evaluation:event_list",
                         frozenset({Role.ENTERPRISE, Role.DISTRICT, Role.CITY}), icon="people", order=47))
    register_nav(NavItem("assistance", _("技术帮扶"), "evaluation:assistance_list", frozenset({Role.EVALUATOR}),
                         icon="tools", order=40))
    register_nav(NavItem("plans", _("提升方案进展"), "evaluation:plan_overview", frozenset({Role.DISTRICT, Role.CITY}),
                         icon="list-check", order=45))
    register_nav(NavItem("cultivation_overview", _("培育总览"), "evaluation:cultivation_overview",
                         frozenset({Role.CITY, Role.ADMIN}), icon="graph-up", order=46))
    register_nav(NavItem("figures", _("年度绩效数据"), "evaluation:figures_list", frozenset({Role.ENTERPRISE}),
                         icon="bar-chart-line", order=35,
                         visible=lambda user: allowed("evaluation.enter_figures", user)))
    register_organisation_panel(Panel("evaluation.company_figures", "evaluation/panels/company_figures.html",
                                      frozenset({Role.DISTRICT, Role.CITY, Role.ADMIN}), _company_figures, order=20))
