"""Views of the applications app, by topic."""

from applications.views.campaigns import (  # noqa: F401
    CAMPAIGN_PAGE_SIZE,
    _campaign_for_official,
    campaign_close,
    campaign_create,
    campaign_detail,
    campaign_edit,
    campaign_extend,
    campaign_list,
)
from applications.views.intake import (  # noqa: F401
    PAGE_SIZE,
    QUEUE_PAGE_SIZE,
    _intake_detail_page,
    _intake_form_page,
    _reason_forms,
    intake_action,
    intake_case_again,
    intake_detail,
    intake_edit,
    intake_pdf,
    intake_queue,
    intake_start,
    my_applications,
    scan_download,
    scan_upload,
)
from applications.views.library import (  # noqa: F401
    _library_queryset,
    library,
    library_export,
)
