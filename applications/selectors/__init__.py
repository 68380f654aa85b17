"""Reads for campaigns, intake applications and the library, scoped to the user (404 outside scope), by topic."""

from applications.selectors.campaigns import (  # noqa: F401
    _district_rows,
    _districts_for,
    _totals,
    campaign_application_rows,
    campaign_applications_for_user,
    campaign_by_id,
    campaign_detail_get_for_user,
    campaign_get_for_user,
    campaign_list_for_user,
    campaign_notices,
    campaign_overview_for_user,
    campaign_target_districts,
    campaign_target_overrides,
    campaign_to_manage_for_user,
    open_campaigns_for_user,
)
from applications.selectors.intake import (  # noqa: F401
    _with_details,
    criteria_by_application,
    intake_get_for_user,
    intake_list_for_user,
    intake_queue_for_user,
    intake_queue_page_for_user,
    review_task_get_for_user,
    review_task_list_for_user,
    review_tasks_on_case_for_user,
)
from applications.selectors.library import (  # noqa: F401
    _summary_year,
    library_list_for_user,
    library_page_rows,
    library_summary_for_user,
)
