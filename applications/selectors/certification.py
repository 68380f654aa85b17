"""Reads of certification, part 1, scoped to the user (404 outside scope): the rounds, an application, the district's
and the city's queue with the working days left, the applicant's own applications, a district's recommended list."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.choices import DeadlineKind
from accounts.deadlines import PageCalendar, deadline_days_shown
from accounts.models import Deadline, District
from applications.models import (
    CertificationApplication,
    CertificationRound,
    CertificationStatus,
    ConditionAnswer,
    DistrictReview,
)
from greenfactory import workdays

# What a case page and the queue read of an application with it: one join each, no query per row.
CASE_RELATED = ("round", "district", "industry", "applicant", "evaluator", "library_entry", "proposed_list__round")


def round_list_for_user(user):
    return CertificationRound.objects.visible_to(user)


def round_get_for_user(user, public_id) -> CertificationRound:
    return get_object_or_404(CertificationRound.objects.visible_to(user), public_id=public_id)


def current_round(today=None):
    """The newest round that has opened (the one applicants and districts work in)."""
    return CertificationRound.objects.filter(opens_on__lte=today or timezone.localdate()).order_by("-year").first()


def certification_get_for_user(user, public_id) -> CertificationApplication:
    return get_object_or_404(CertificationApplication.objects.visible_to(user).select_related(*CASE_RELATED),
                             public_id=public_id)


# What a kept page needs of its case before it reads what is kept: the scope (404) and the heading, in one light query.
HEADING_FIELDS = ("id", "public_id", "unit_name", "unit_kind", "status", "round_id", "district_id", "applicant_id",
                  "evaluator_id")


def certification_heading_for_user(user, public_id) -> CertificationApplication:
    return get_object_or_404(CertificationApplication.objects.visible_to(user).only(*HEADING_FIELDS),
                             public_id=public_id)


def certifications_of_unit(user):
    """The applicant's own applications, newest first."""
    return (CertificationApplication.objects.visible_to(user).filter(applicant_id=user.organisation_id)
            .select_related("round").order_by("-round__year", "-created_at"))


def certification_queue_for_user(user, *, certification_round=None, status="", district=None):
    """The applications in the user's scope (a district's, or every district's for the city), by state and name."""
    applications = CertificationApplication.objects.visible_to(user).exclude(status=CertificationStatus.WITHDRAWN)
    if certification_round is not None:
        applications = applications.filter(round=certification_round)
    if status:
        applications = applications.filter(status=status)
    if district is not None:
        applications = applications.filter(district=district)
    return applications.select_related("round", "district", "industry", "evaluator").order_by(
        "district__position", "status", "unit_name", "id")


# The clock shown beside each application in the queue: whose turn it is and until when.
QUEUE_CLOCKS = (DeadlineKind.CERTIFICATION_RECOMMENDATION, DeadlineKind.REVIEW_ROUND_ANSWER,
                DeadlineKind.CERTIFICATION_SUBMISSION, DeadlineKind.CITY_REVIEW)


def queue_rows(applications):
    """The page's applications with their open clock and its working days left (one query for the clocks)."""
    rows = list(applications)
    if not rows:
        return rows
    clocks = {}
    for deadline in Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(CertificationApplication),
            object_id__in=[row.pk for row in rows], kind__in=QUEUE_CLOCKS, closed_at__isnull=True):
        clocks.setdefault(deadline.object_id, deadline)
    today, calendar = workdays.shanghai_today(), PageCalendar()
    for row in rows:
        clock = clocks.get(row.pk)
        row.clock = clock
        row.clock_days = deadline_days_shown(clock, today, calendar) if clock else None
    return rows


def queue_counts(user, certification_round=None):
    """How many applications of the user's scope are in each state (the queue's tabs)."""
    applications = CertificationApplication.objects.visible_to(user).exclude(status=CertificationStatus.WITHDRAWN)
    if certification_round is not None:
        applications = applications.filter(round=certification_round)
    return dict(applications.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


def round_district_rows(certification_round, user):
    """Per district in the user's scope: applications, submitted or beyond, recommended (the round's page)."""
    districts = District.objects.visible_to(user)
    counts = (CertificationApplication.objects.filter(round=certification_round)
              .exclude(status=CertificationStatus.WITHDRAWN).values("district_id")
              .annotate(total=Count("id"),
                        waiting=Count("id", filter=Q(status__in=[CertificationStatus.SUBMITTED,
                                                                 CertificationStatus.SUPPLEMENTING])),
                        recommended=Count("id", filter=Q(status=CertificationStatus.RECOMMENDED))))
    by_district = {row["district_id"]: row for row in counts}
    return [{"district": district, **by_district.get(district.pk, {"total": 0, "waiting": 0, "recommended": 0})}
            for district in districts]


def recommended_for_district(user, certification_round, district):
    return (CertificationApplication.objects.visible_to(user)
            .filter(round=certification_round, district=district, status=CertificationStatus.RECOMMENDED)
            .select_related("industry", "evaluator").order_by("decided_at", "id"))


def answers_of(application):
    return list(ConditionAnswer.objects.filter(application=application).prefetch_related("evidence"))


def reviews_of(application):
    return list(DistrictReview.objects.filter(application=application).select_related("reviewer")
                .prefetch_related("items__files").order_by("number"))
