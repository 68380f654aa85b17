"""Building blocks of the certification tests: a round open on NOW, a ready library entry, the demo systems in force,
the evaluator register, and each step of the path through the services as its role takes it."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications import services
from applications.models import CertificationRound, LibraryEntry, LibraryStatus
from evaluation import services as evaluation_services
from evaluation.demo import demo_indicator_system, demo_park_system
from evaluation.models import EvaluatorOrganisation, SelfEvaluation
from tests.evaluation.test_figures import save as save_figures
from tests.factories import LibraryEntryFactory, pdf_bytes


def make_round(people, **changes) -> CertificationRound:
    today = timezone.localdate()
    values = {"year": today.year, "title": f"{today.year}年度绿色工厂、绿色园区认定", "opens_on": today
              - datetime.timedelta(days=5), "application_deadline": today + datetime.timedelta(days=20),
              "recommendation_deadline": today + datetime.timedelta(days=40), "created_by": people.city}
    return CertificationRound.objects.create(**{**values, **changes})


def ready_entry(people, user=None) -> LibraryEntry:
    """The enterprise's library entry, marked ready (its assessment confirmed), with the demo system of its
    industry in force."""
    user = user or people.enterprise
    entry = LibraryEntryFactory(application__enterprise=user.organisation)
    LibraryEntry.objects.filter(pk=entry.pk).update(status=LibraryStatus.READY, assessed_score=Decimal(82),
                                                    assessed_vetoed=False, assessed_at=timezone.now())
    demo_indicator_system([entry.industry])
    return entry


def register(people, organisation=None, **fields) -> EvaluatorOrganisation:
    organisation = organisation or people.evaluator.organisation
    return EvaluatorOrganisation.objects.create(
        organisation=organisation, legal_representative="张评", contact_name="李联", contact_phone="023-61234567",
        qualifications="CMA", staff_count=12, **fields)


def answer_conditions(application, actor, *, met=True, overrides=None):
    answers = {a.item: {"met": met, "statement": f"第{a.item}项情况说明"} for a in application.answers.all()}
    answers.update(overrides or {})
    return services.certification_save(application=application, actor=actor, answers=answers, data={
        "contact_name": "王联系", "contact_phone": "13800138000", "summary": "创建工作情况"})


def sheet_items(system, *, passed=True, value=Decimal(80)):
    items = {}
    for indicator in system.indicators.all():
        if indicator.kind == "veto":
            items[indicator.pk] = {"passed": passed}
        elif indicator.kind == "qualitative":
            items[indicator.pk] = {"points": indicator.points}
        elif not indicator.figure:
            items[indicator.pk] = {"value": value}
    return items


def self_evaluated(application, actor):
    save_figures(actor, year=application.round.year - 1)
    sheet = evaluation_services.self_evaluation_start(application=application, actor=actor)
    evaluation_services.self_evaluation_save(sheet=sheet, actor=actor, items=sheet_items(sheet.system),
                                             complete=True)
    application.refresh_from_db()
    return application


def started(people, certification_round, user=None, *, park=False):
    """An application answered and self-evaluated, ready to commission."""
    user = user or (people.park if park else people.enterprise)
    if park:
        demo_park_system()
    application = services.certification_start(certification_round=certification_round, actor=user)
    answer_conditions(application, user)
    return self_evaluated(application, user)


def due():
    return timezone.localdate() + datetime.timedelta(days=15)


def commissioned(people, application, user=None, entry=None):
    user = user or (people.park if application.is_park else people.enterprise)
    entry = entry or EvaluatorOrganisation.objects.filter(organisation=people.evaluator.organisation).first() \
        or register(people)
    return evaluation_services.commission_evaluator(application=application, actor=user, register=entry,
                                                    due_on=due())


def evaluated(people, application, *, passed=True, evaluator=None):
    evaluator = evaluator or people.evaluator
    report = evaluation_services.report_start(application=application, actor=evaluator)
    evaluation_services.report_document_upload(report=report, actor=evaluator, signed=True,
                                               uploaded_file=SimpleUploadedFile("评价报告.pdf", pdf_bytes()))
    today = timezone.localdate()
    evaluation_services.report_save(report=report, actor=evaluator, visited_from=today, visited_to=today,
                                    evaluators="赵一、钱二", passed=passed, opinion="达到要求" if passed else "未达到",
                                    items=sheet_items(report.system), issue=True)
    application.refresh_from_db()
    return application


def submitted(people, certification_round, *, park=False):
    application = started(people, certification_round, park=park)
    commissioned(people, application)
    application = evaluated(people, application)
    return services.certification_submit(application=application, actor=people.park if park else people.enterprise)


def all_ok(application):
    return {key: {"verdict": "ok", "comment": ""} for key, _label in services.review_checks(application)}


def self_sheet(application):
    return SelfEvaluation.objects.get(application=application)
