"""Views of evaluation, by topic: the yearly figures, and cultivation (assessment, report, plan, readiness)."""

from evaluation.views.cultivation import (  # noqa: F401
    assessment_action,
    assessment_detail,
    assign_assistance,
    assign_expert,
    cultivation,
    entry_action,
    measure_action,
    measure_add,
    measure_delete,
    measure_detail,
    measure_edit,
    measure_evidence_download,
    measure_evidence_upload,
    measure_progress,
    my_cultivation,
    plan_from_gaps,
    report_pdf,
    scoring_edit,
    scoring_evidence_download,
)
from evaluation.views.figures import (  # noqa: F401
    evidence_download,
    evidence_upload,
    figures_detail,
    figures_edit,
    figures_list,
)
from evaluation.views.plans import cultivation_overview, plan_export, plan_overview  # noqa: F401
from evaluation.views.support import (  # noqa: F401
    assistance_list,
    assistance_visit,
    event_attendance,
    event_cancel,
    event_create,
    event_detail,
    event_list,
    event_sign_up,
)
