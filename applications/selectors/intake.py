"""Reads for intake applications: the user's cases, one case, the district's queue."""


from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.shortcuts import get_object_or_404

from accounts.models import Enterprise, Organisation
from accounts.scope import APPLICANT_ROLES
from applications.models import (
    EntryCriterionResult,
    IntakeApplication,
    IntakeStatus,
    ReviewTask,
    StampedScan,
)
from applications.selectors.campaigns import campaign_by_id
from greenfactory.workflow import history


def _with_details(qs):
    return qs.select_related("campaign", "district", "industry", "enterprise").prefetch_related(
        Prefetch("criteria", queryset=EntryCriterionResult.objects.order_by("criterion")),
        Prefetch("scans", queryset=StampedScan.objects.order_by("-uploaded_at", "-id")),
    )


def intake_list_for_user(user, *, details=True):
    """The user's applications, newest first; with ``details``, their campaign, district, industry, enterprise,
    criteria and scans (a count, or a list that shows none of them, does without: building the query costs more than
    running it)."""
    applications = IntakeApplication.objects.visible_to(user)
    return (_with_details(applications) if details else applications).order_by("-created_at", "-id")


def openable_by(user):
    """The applications whose case the user may open: those in scope (``visible_to``), but a draft never submitted
    only by its own unit — its page tells the enterprise that only its unit can see it; an official sees that such a
    draft exists (its campaign's count by state) and reads it once it is submitted. A draft that was submitted before
    (reopened after a withdrawal) stays open to the district that reopened it."""
    applications = IntakeApplication.objects.visible_to(user)
    if getattr(user, "role", None) in APPLICANT_ROLES:
        return applications
    return applications.exclude(status=IntakeStatus.DRAFT, submitted_at__isnull=True)


def intake_get_for_user(user, public_id, *, details=True) -> IntakeApplication:
    """One application the user may see (404 otherwise). Without ``details``, what the form page reads: the
    campaign, district and enterprise, not the industry, criteria and scans (two queries and a larger join that
    only the case page shows). There the enterprise and its district are the signed-in user's own organisation
    (an enterprise's draft), loaded with the user on every request (``accounts.backends``): taken from it rather
    than joined again (three joins cost more than the rest of the query); another's are read when used. The
    campaign is the kept one (``campaign_by_id``)."""
    applications = openable_by(user)
    if details:
        return get_object_or_404(_with_details(applications), public_id=public_id)
    application = get_object_or_404(applications, public_id=public_id)
    application.campaign = campaign_by_id(application.campaign_id)
    organisation = user.organisation if getattr(user, "organisation_id", None) is not None else None
    if organisation is not None and organisation.pk == application.enterprise_id:
        application.enterprise = _as_enterprise(organisation)
        if organisation.district_id is not None and organisation.district_id == application.district_id:
            application.district = organisation.district
    return application


def _as_enterprise(organisation) -> Enterprise:
    """The organisation as its ``Enterprise`` (the same row), the enterprise's own columns (industry, address …)
    deferred: read if used. The organisation's district comes along."""
    values = {field.attname: getattr(organisation, field.attname) for field in Organisation._meta.concrete_fields}
    values["organisation_ptr_id"] = organisation.pk
    names = [field.attname for field in Enterprise._meta.concrete_fields if field.attname in values]
    enterprise = Enterprise.from_db(organisation._state.db, names, [values[name] for name in names])
    if organisation.district_id is not None:
        Organisation._meta.get_field("district").set_cached_value(enterprise, organisation.district)
    return enterprise


def _organisation_column(field):
    return Subquery(Organisation.objects.filter(pk=OuterRef("enterprise_id")).order_by().values(field)[:1])


# The registered identity the case page compares the submitted one with (``applicant_name``,
# ``identity_changed_since_submission``), as two one-row subqueries built once: joined, the enterprise and its
# organisation made the page's query a six-table join that PostgreSQL took longer to plan (0.7 ms) than to run.
_REGISTERED_IDENTITY = {"registered_name": _organisation_column("name"),
                        "registered_credit_code": _organisation_column("credit_code")}
_CASE_CRITERIA = EntryCriterionResult.objects.order_by("criterion")


def intake_case_for_user(user, public_id) -> IntakeApplication:
    """The case page's application (404 outside the user's scope): its campaign, district and industry, and its
    enterprise as the name and credit code alone (any other field of it is read from the database when asked for).
    Not its criteria, scans and history: the page reads what it shows of them as values (``intake_case_record``)."""
    application = get_object_or_404(
        openable_by(user).select_related("campaign", "district", "industry")
        .annotate(**_REGISTERED_IDENTITY), public_id=public_id)
    application.enterprise = _registered_identity(application.enterprise_id, application.registered_name,
                                                  application.registered_credit_code, db=application._state.db)
    return application


def intake_case_with_record(user, public_id, record) -> IntakeApplication:
    """The case page's application (404 outside the user's scope) as its row alone, with the campaign, district,
    industry and enterprise an ``intake_case_record`` of it holds (kept: they change only through the portal)."""
    application = get_object_or_404(openable_by(user), public_id=public_id)
    for name in ("campaign", "district", "industry", "enterprise"):
        related = record[name]
        # Only what the row still points to (a relation the record does not match is read when asked for).
        if getattr(application, f"{name}_id") == (related.pk if related is not None else None):
            setattr(application, name, related)
    return application


def intake_case_with_criteria(application) -> IntakeApplication:
    """The criteria as model instances on the application, for what the services read of them (the district's
    decision: the reason limit and the question before admitting)."""
    prefetch_related_objects([application], Prefetch("criteria", queryset=_CASE_CRITERIA))
    return application


def intake_case_record(application) -> dict:
    """What the case page shows besides the application, as plain values: ``criteria`` (criterion, result, reason)
    in criterion order, ``scan``, the stamped scan of the current submission (``IntakeApplication.current_scan``:
    ``pk``, ``original_name``, ``uploaded_at``) or None, ``history``, the transitions' markup ("" for none), and the
    application's ``campaign``, ``district``, ``industry`` and ``enterprise`` (its registered name and credit code).
    Three queries, and all of it changed only through the portal (a transition, an upload, a posted form), so the
    page keeps it (``greenfactory.portal.kept``) and reads the application's own row alone
    (``intake_case_with_record``)."""
    entries = history(application)
    scan = None
    if application.submitted_at is not None:
        scan = (StampedScan.objects.filter(application=application, uploaded_at__gte=application.submitted_at)
                .order_by("-uploaded_at", "-id").values("pk", "original_name", "uploaded_at").first())
    return {"criteria": criteria_by_application([application.pk])[application.pk], "scan": scan,
            "history": entries.html if entries else "", "campaign": application.campaign,
            "district": application.district, "industry": application.industry,
            "enterprise": _registered_identity(application.enterprise_id, application.enterprise.name,
                                               application.enterprise.credit_code, db=application._state.db)}


def _registered_identity(pk, name, credit_code, *, db) -> Enterprise:
    """The enterprise as its name and credit code alone (what the case page reads of it; any other field is read
    from the database when asked for)."""
    known = {"id": pk, "organisation_ptr_id": pk, "name": name, "credit_code": credit_code}
    return Enterprise.from_db(db, list(known), [
        known[field.attname] for field in Enterprise._meta.concrete_fields if field.attname in known])


def intake_queue_for_user(user, *, details=True):
    """Submitted applications waiting for the district, oldest first (with ``details``, 3 queries: rows, criteria,
    scans, and none per row)."""
    return intake_list_for_user(user, details=details).filter(status=IntakeStatus.SUBMITTED).order_by(
        "submitted_at", "id")


def intake_queue_page_for_user(user):
    """The queue page's rows: only the columns it shows, as values (50 rows of three model instances each cost more
    than their query), and whether the stamped scan of the current submission is in
    (``IntakeApplication.current_scan``) as one subquery rather than every scan prefetched. Submitted, every row
    shows the identity it was submitted with (``applicant_name``: its company_name and credit_code), so the
    enterprise is not joined; the campaign's year and the industry's name are reference data (``reference_names``),
    not joined either (1.0 → 0.7 ms a page in-process)."""
    return _QUEUE_PAGE.visible_to(user)


# The queue page's query, built once (a page's is a copy with the user's scope: building the subquery, the order and
# the columns again cost more than running them).
_QUEUE_PAGE = (IntakeApplication.objects.filter(status=IntakeStatus.SUBMITTED).order_by("submitted_at", "id").values(
    "pk", "public_id", "company_name", "credit_code", "submitted_at", "campaign_id", "industry_id",
    has_scan=Exists(StampedScan.objects.filter(application=OuterRef("pk"), uploaded_at__gte=OuterRef("submitted_at")))))


def criteria_by_application(ids):
    """Each application's entry-criterion results as (criterion, result, reason) in criterion order: one query, no
    model instances (five per row of a long page)."""
    by_application = {pk: [] for pk in ids}
    for application_id, *row in (EntryCriterionResult.objects.filter(application_id__in=ids)
                                 .order_by("application_id", "criterion")
                                 .values_list("application_id", "criterion", "result", "reason")):
        by_application[application_id].append(row)
    return by_application


# --- Review assignments ----------------------------------------------------------------------------------------------


def review_task_list_for_user(user):
    """The review tasks the user may see (``ReviewTask.objects.visible_to``): one query with the people named."""
    return ReviewTask.objects.visible_to(user).select_related(
        "content_type", "assignee_user", "assignee_organisation", "assigned_by").order_by("due_on", "id")


def review_task_page_for_user(user):
    """The assignee's page of tasks: as ``review_task_list_for_user``, with the assigner's two names
    (``assigner_full_name``, ``assigner_username``: what ``User.__str__`` shows) rather than the assigner's and the
    assignees' whole rows (the page shows the case through its content type, which the cache holds, and decides the
    buttons by the assignees' ids)."""
    return (ReviewTask.objects.visible_to(user).annotate(
        assigner_full_name=F("assigned_by__full_name"), assigner_username=F("assigned_by__username"))
        .order_by("due_on", "id"))


def review_task_get_for_user(user, public_id) -> ReviewTask:
    return get_object_or_404(review_task_list_for_user(user), public_id=public_id)


def review_tasks_on_case_for_user(user, case):
    """The tasks on one case that the user may see (an assignee sees its own, not its colleagues' on the case)."""
    return review_task_list_for_user(user).filter(content_type=ContentType.objects.get_for_model(case),
                                                  object_id=case.pk)
