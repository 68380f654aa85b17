"""Who may do what in evaluation. Scope (what a user sees) is each model's ``visible_to``; these predicates decide
actions on what is already visible (registered with django-rules; views ask through ``accounts.access.allowed``)."""

import rules

from accounts.access import (
    is_active_applicant_member,
    is_active_member_of_organisation,
    is_applicant_role,
    is_city,
    is_city_or_admin,
    is_district,
    is_enterprise,
)
from accounts.choices import OrganisationStatus, Role


@rules.predicate
def can_enter_figures(user, unit=None):
    """An active user of an approved enterprise or park enters its own yearly figures (a park's are the park's as a
    whole: its certification reads three years of them, 第六条（七）)."""
    unit = unit if unit is not None else getattr(user, "organisation", None)
    return (is_applicant_role(user) and unit is not None and unit.status == OrganisationStatus.ACTIVE
            and is_active_applicant_member(user, unit))


@rules.predicate
def can_confirm_assessment(user, assessment):
    """The city, or an official of the entry's district, confirms the experts' combined result."""
    if assessment is None or not is_active_member_of_organisation(user):
        return False
    return is_city(user) or (is_district(user) and assessment.district_id == user.district_id)


@rules.predicate
def can_work_on_measure(user, measure):
    """The enterprise carries out its own plan's measures and reports their progress."""
    return measure is not None and is_enterprise(user) and is_active_applicant_member(user, measure.unit_id)


@rules.predicate
def can_score(user, scoring):
    """The expert whose (not declined) assignment made the scoring, while the assessment is open and the scores are
    not submitted."""
    return (scoring is not None and user.role == Role.EXPERT and is_active_member_of_organisation(user)
            and scoring.expert_id == user.pk and scoring.submitted_at is None
            and scoring.task.status in ("assigned", "accepted") and scoring.assessment.status == "scoring")


@rules.predicate
def can_keep_register(user):
    """The city keeps the evaluator register (第二十一条、第二十二条): adds organisations, recommends, disqualifies."""
    return is_city(user) and is_active_member_of_organisation(user)


# Officials who see a library's cultivation work (the plan overview, the city's table).
is_cultivation_official = (is_district | is_city) & is_active_member_of_organisation

rules.add_perm("evaluation.confirm_assessment", can_confirm_assessment)
rules.add_perm("evaluation.work_on_measure", can_work_on_measure)
rules.add_perm("evaluation.score", can_score)
rules.add_perm("evaluation.view_plans", is_cultivation_official | is_city_or_admin)
rules.add_perm("evaluation.enter_figures", can_enter_figures)
rules.add_perm("evaluation.keep_register", can_keep_register)
# The register is read by the officials who deal with evaluators (the city keeps it; districts consult it).
rules.add_perm("evaluation.view_register", (is_district | is_city_or_admin) & is_active_member_of_organisation)
rules.add_perm("evaluation.view_figures", is_active_member_of_organisation)
