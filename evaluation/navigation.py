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
    register_nav(NavItem("figures", _("年度绩效数据"), "evaluation:figures_list", frozenset({Role.ENTERPRISE}),
                         icon="bar-chart-line", order=35,
                         visible=lambda user: allowed("evaluation.enter_figures", user)))
    register_organisation_panel(Panel("evaluation.company_figures", "evaluation/panels/company_figures.html",
                                      frozenset({Role.DISTRICT, Role.CITY, Role.ADMIN}), _company_figures, order=20))
