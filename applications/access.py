"""Who may act on campaigns, intake applications and the cultivation library. Scope is ``visible_to``."""

import rules

from accounts.access import has_role, is_active_member_of_organisation, is_city_or_admin, is_district

is_enterprise_member = has_role("enterprise") & is_active_member_of_organisation


@rules.predicate
def can_edit_intake(user, application):
    """Only the enterprise's own active users fill in, submit and withdraw its application."""
    return (
        is_enterprise_member(user)
        and application is not None
        and application.enterprise_id == user.organisation_id
    )


@rules.predicate
def can_decide_intake(user, application):
    """Only officials of the application's district decide it (四（二）对标推荐)."""
    return (
        is_district(user)
        and is_active_member_of_organisation(user)
        and application is not None
        and application.district_id == user.district_id
    )


@rules.predicate
def can_manage_campaign(user, campaign=None):
    if is_city_or_admin(user):
        return True
    if not (is_district(user) and is_active_member_of_organisation(user)):
        return False
    return campaign is None or campaign.district_id == user.district_id


rules.add_perm("applications.edit_intake", can_edit_intake)
rules.add_perm("applications.decide_intake", can_decide_intake)
rules.add_perm("applications.manage_campaign", can_manage_campaign)
rules.add_perm("applications.apply", is_enterprise_member)
rules.add_perm("applications.view_intake_queue", is_district & is_active_member_of_organisation)
# The campaign page (its applications and targets): the city for any campaign, a district for its own and the city's.
rules.add_perm("applications.view_campaign", (is_district | is_city_or_admin) & is_active_member_of_organisation)
rules.add_perm("applications.view_library", (is_district | is_city_or_admin) & is_active_member_of_organisation)
