"""What evaluation adds to the navigation and to a company's page."""

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.access import allowed
from accounts.models import Role
from applications.certification_progress import NEXT, progress_line
from applications.choices import ReviewTaskKind
from applications.models import CertificationApplication, LibraryEntry, ReviewTask
from evaluation import selectors
from evaluation.models import OPEN_MEASURE_STATES, Assessment, ImprovementMeasure, TrainingSignUp
from greenfactory.portal import NavItem, Panel, kept, register_home_panel, register_nav, register_organisation_panel
from greenfactory.workflow import history


def _company_figures(user, organisation):
    """The years a company has entered, newest first, linked to each record (one query, kept per user, company and
    language: figures change only through the portal's posted forms, which move the generations ``kept`` compares)."""
    def read():
        return [(year, figures.public_id) for year, figures in
                sorted(selectors.figures_by_year(user, organisation.pk).items(), reverse=True)]
    return {"years": kept(f"company-figures:{user.pk}:{get_language()}:{organisation.pk}", read)}


def _enterprise_cultivation(user, _subject):
    """The enterprise's cultivation at a glance: its latest library entry, its latest confirmed assessment with the
    report, its open and overdue measures, and the events it signed up for that are still to come. Kept per user and
    language until any change the portal makes (three queries when read)."""
    def read():
        entry = LibraryEntry.objects.filter(enterprise_id=user.organisation_id).order_by("-entered_at").values(
            "public_id", "status", "assessed_score").first()
        if entry is None:
            return {"entry": None}  # kept as such: a company outside the library shows no panel
        assessment = Assessment.objects.filter(unit_id=user.organisation_id, status="confirmed").order_by(
            "-confirmed_at").values("public_id", "total").first()
        today = timezone.localdate()
        measures = list(ImprovementMeasure.objects.filter(
            unit_id=user.organisation_id, status__in=OPEN_MEASURE_STATES,
            assessment__status="confirmed").values_list("due_on", flat=True))
        events = list(TrainingSignUp.objects.filter(
            unit_id=user.organisation_id, event__starts_at__gte=timezone.now(),
            event__cancelled_at__isnull=True).values("event__public_id", "event__title", "event__starts_at")[:5])
        return {"entry": entry, "assessment": assessment, "open_measures": len(measures),
                "overdue_measures": sum(1 for due in measures if due < today), "events": events}

    return kept(f"enterprise-cultivation:{user.pk}:{get_language()}", read)


def _certification_home(user, _subject):
    """The applicant's latest application at a glance (the progress line with dates and who acts next); for an
    evaluator, its organisation's open commissions with their due dates. Kept per user and language until any change
    the portal makes (two queries when read)."""
    def read_applicant():
        application = (CertificationApplication.objects.visible_to(user).filter(applicant_id=user.organisation_id)
                       .exclude(status="withdrawn").select_related("round").order_by("-created_at").first())
        if application is None:
            return None
        return {"application": application, "next_actor": str(NEXT.get(application.status, "")),
                "progress": progress_line(application, list(history(application)))}

    def read_evaluator():
        tasks = list(ReviewTask.objects.assigned_to(user).open().filter(kind=ReviewTaskKind.EVALUATION).filter(
            certification_application__isnull=False).select_related(None).values(
            "due_on", "status", "certification_application__public_id", "certification_application__unit_name")[:20])
        return {"commissions": tasks} if tasks else None

    if user.role == Role.EVALUATOR:
        return kept(f"evaluator-commissions:{user.pk}:{get_language()}", read_evaluator)
    return kept(f"applicant-certification:{user.pk}:{get_language()}", read_applicant)


def register():
    register_home_panel(Panel("evaluation.certification", "evaluation/panels/certification.html",
                              frozenset({Role.ENTERPRISE, Role.PARK, Role.EVALUATOR}), _certification_home, order=12))
    register_home_panel(Panel("evaluation.cultivation", "evaluation/panels/enterprise_cultivation.html",
                              frozenset({Role.ENTERPRISE}), _enterprise_cultivation, order=15))
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
    register_nav(NavItem("register", _("评价机构名录"), "evaluation:register_list",
                         frozenset({Role.DISTRICT, Role.CITY, Role.ADMIN}), icon="building-check", order=48))
    register_nav(NavItem("figures", _("年度绩效数据"), "evaluation:figures_list",
                         frozenset({Role.ENTERPRISE, Role.PARK}),
                         icon="bar-chart-line", order=35,
                         visible=lambda user: allowed("evaluation.enter_figures", user)))
    register_organisation_panel(Panel("evaluation.company_figures", "evaluation/panels/company_figures.html",
                                      frozenset({Role.DISTRICT, Role.CITY, Role.ADMIN}), _company_figures, order=20))
