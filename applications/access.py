"""Who may act on campaigns, intake applications and the cultivation library. Scope is ``visible_to``."""

import rules
from django.contrib.contenttypes.models import ContentType

from accounts.access import (
    has_role,
    is_active_applicant_member,
    is_active_member_of_organisation,
    is_applicant,
    is_city,
    is_city_or_admin,
    is_district,
)
from accounts.scope import ASSIGNEE_ROLES, ORGANISATION_ASSIGNEE_ROLES, case_applicant_id, case_district_id
from applications.choices import APPLICANT_TASK_KINDS, CITY_TASK_KINDS, DISTRICT_TASK_KINDS

is_evaluator = has_role("evaluator")

# Intake is the green-factory cultivation library: only an enterprise starts one (a park applies for certification).
is_enterprise_member = has_role("enterprise") & is_active_member_of_organisation


@rules.predicate
def can_edit_intake(user, application):
    """Only the applicant's own active users fill in, submit and withdraw its application."""
    return application is not None and is_active_applicant_member(user, case_applicant_id(application))


@rules.predicate
def can_decide_intake(user, application):
    """Only officials of the application's district decide it (四（二）对标推荐)."""
    return (
        is_district(user)
        and is_active_member_of_organisation(user)
        and application is not None
        and case_district_id(application) == user.district_id
    )


@rules.predicate
def can_judge_readiness(user, entry):
    """Only officials of the entry's district say whether a library entry is ready to apply (成熟一批，申报一批)."""
    return (is_district(user) and is_active_member_of_organisation(user) and entry is not None
            and entry.district_id == user.district_id)


@rules.predicate
def can_edit_certification(user, application):
    """Only the applicant's own active users (an enterprise's or a park's) fill in, commission, submit, answer and
    withdraw its certification application (第九条)."""
    return application is not None and is_active_applicant_member(user, case_applicant_id(application))


@rules.predicate
def can_review_certification(user, application):
    """Only officials of the application's district review it and recommend it to the city (第十条)."""
    return (is_district(user) and is_active_member_of_organisation(user) and application is not None
            and case_district_id(application) == user.district_id)


@rules.predicate
def is_commissioned_evaluator(user, application):
    """A user of the evaluator organisation the application has commissioned (第九条): it accepts or declines the
    commission and issues the evaluation report."""
    return (application is not None and application.evaluator_id is not None
            and is_evaluator(user) and is_active_member_of_organisation(user)
            and user.organisation_id == application.evaluator_id)


# The city publishes the annual certification round (第三条、第五条); administrators may correct it.
can_manage_rounds = is_city_or_admin & is_active_member_of_organisation


@rules.predicate
def can_read_district_review(user, application):
    """The district's review passes and the applicant's answers are for the applicant and the officials in scope,
    not for the evaluator (who sees the case through its commission)."""
    return application is not None and not is_evaluator(user)


# A district official prints and exports its own district's recommended list (第十条).
can_export_recommended = is_district & is_active_member_of_organisation


@rules.predicate
def can_manage_campaign(user, campaign=None):
    if is_city_or_admin(user):
        return True
    if not (is_district(user) and is_active_member_of_organisation(user)):
        return False
    return campaign is None or campaign.district_id == user.district_id


is_assignee_role = has_role(*ASSIGNEE_ROLES) & is_active_member_of_organisation


# 第十一条: the city reviews what the districts recommend, proposes, consults, publicises, certifies and revokes.
is_city_officer = is_city & is_active_member_of_organisation


@rules.predicate
def can_city_review(user, application):
    """Only the city's active staff take a recommended application through the city's review (第十一条)."""
    return application is not None and is_city_officer(user)


@rules.predicate
def is_review_task_assignee(user, task):
    """The task is the user's: assigned to them (an expert, a department's liaison, or one of the city's own staff
    for its materials review and on-site verification), or to their evaluator organisation. Only the assignee
    accepts, declines or completes it."""
    if task is None or not (is_assignee_role(user) or is_city_officer(user)):
        return False
    if task.assignee_user_id is not None:
        return task.assignee_user_id == user.pk
    return user.role in ORGANISATION_ASSIGNEE_ROLES and task.assignee_organisation_id == user.organisation_id


@rules.predicate
def can_withdraw_review_task(user, task):
    """Whoever asked may take the task back before it is done: the applicant's own users its evaluator commission
    (第九条: the unit commissions; an organisation that does not answer must not hold the case), the city the tasks
    of its review and the departments' opinions (第十一条) when it decides the case or publishes the list."""
    if task is None or not is_active_member_of_organisation(user):
        return False
    if task.kind in CITY_TASK_KINDS and is_city(user):
        # Only on the cases whose tasks of that kind the city asks for (a certification's review, a proposed list's
        # departments); a district's expert on an intake case is the district's. The content type is cached.
        model = ContentType.objects.get_for_id(task.content_type_id).model_class()
        return task.kind in getattr(model, "review_task_kinds_by_role", {}).get("city", ())
    return task.kind in APPLICANT_TASK_KINDS and is_applicant(user) and task.applicant_id == user.organisation_id


def review_task_kinds_for(user, case) -> frozenset[str]:
    """The kinds of task the user may assign on the case, among those the case offers (``review_task_kinds``): the
    city every kind, a district official the expert reviews and on-site checks of its district's cases, the applicant
    its evaluator commission."""
    offered = frozenset(getattr(type(case), "review_task_kinds", ())) if case is not None else frozenset()
    if not offered or not is_active_member_of_organisation(user):
        return frozenset()
    # A case may narrow who asks for what (``review_task_kinds_by_role``: role → kinds): a certification application's
    # evaluator is commissioned by its applicant only, its city review asked by the city only.
    by_role = getattr(type(case), "review_task_kinds_by_role", None)
    if by_role is not None:
        offered &= frozenset(by_role.get(user.role, ()))
    if is_city(user):
        return offered
    if is_district(user) and user.district_id is not None and case_district_id(case) == user.district_id:
        return offered & DISTRICT_TASK_KINDS
    if is_applicant(user) and case_applicant_id(case) == user.organisation_id:
        return offered & APPLICANT_TASK_KINDS
    return frozenset()


@rules.predicate
def can_assign_review_task(user, case):
    return bool(review_task_kinds_for(user, case))


rules.add_perm("applications.edit_intake", can_edit_intake)
rules.add_perm("applications.decide_intake", can_decide_intake)
rules.add_perm("applications.manage_campaign", can_manage_campaign)
rules.add_perm("applications.assign_review_task", can_assign_review_task)
rules.add_perm("applications.work_on_review_task", is_review_task_assignee)
rules.add_perm("applications.view_review_tasks", is_assignee_role)
rules.add_perm("applications.apply", is_enterprise_member)
rules.add_perm("applications.view_intake_queue", is_district & is_active_member_of_organisation)
# The campaign page (its applications and targets): the city for any campaign, a district for its own and the city's.
rules.add_perm("applications.view_campaign", (is_district | is_city_or_admin) & is_active_member_of_organisation)
rules.add_perm("applications.judge_readiness", can_judge_readiness)
rules.add_perm("applications.edit_certification", can_edit_certification)
rules.add_perm("applications.review_certification", can_review_certification)
rules.add_perm("applications.manage_rounds", can_manage_rounds)
rules.add_perm("applications.view_certification_queue",
               (is_district | is_city_or_admin) & is_active_member_of_organisation)
rules.add_perm("applications.view_library", (is_district | is_city_or_admin) & is_active_member_of_organisation)
