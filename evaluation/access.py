"""Who may do what in evaluation. Scope (what a user sees) is each model's ``visible_to``; these predicates decide
actions on what is already visible (registered with django-rules; views ask through ``accounts.access.allowed``)."""

import rules

from accounts.access import is_active_applicant_member, is_active_member_of_organisation, is_enterprise
from accounts.choices import OrganisationStatus


@rules.predicate
def can_enter_figures(user, unit=None):
    """An active user of an approved enterprise enters its own yearly figures (parks report park-level figures with
    certification)."""
    unit = unit if unit is not None else getattr(user, "organisation", None)
    return (is_enterprise(user) and unit is not None and unit.status == OrganisationStatus.ACTIVE
            and is_active_applicant_member(user, unit))


rules.add_perm("evaluation.enter_figures", can_enter_figures)
rules.add_perm("evaluation.view_figures", is_active_member_of_organisation)
