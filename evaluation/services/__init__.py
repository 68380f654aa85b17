"""Writes of evaluation, by topic; every name is importable from ``evaluation.services``."""

from evaluation.services.assessments import (  # noqa: F401
    assessment_assign_expert,
    assessment_confirm,
    assessment_report_pdf,
    assessment_result,
    scoring_evidence_upload,
    scoring_save,
)
from evaluation.services.certification import (  # noqa: F401
    certification_figures,
    commission_evaluator,
    register_change,
    register_save,
    report_document_upload,
    report_save,
    report_start,
    self_evaluation_evidence_upload,
    self_evaluation_save,
    self_evaluation_start,
    sheet_result,
    sheet_values,
)
from evaluation.services.figures import figures_evidence_upload, figures_save  # noqa: F401
from evaluation.services.indicators import (  # noqa: F401
    indicator_area_save,
    indicator_save,
    indicator_system_for,
    indicator_system_freeze,
    indicator_system_revise,
)
from evaluation.services.plans import (  # noqa: F401
    can_draft_plan,
    measure_delete,
    measure_drop,
    measure_evidence_upload,
    measure_finish,
    measure_report_progress,
    measure_save,
    measure_start,
    plan_draft_from_gaps,
)
from evaluation.services.support import (  # noqa: F401
    assistance_assign,
    assistance_visit_record,
    can_assign_assistance,
    can_organise_events,
    can_record_visit,
    can_sign_up,
    event_cancel,
    event_publish,
    event_record_attendance,
    event_sign_up,
    is_organiser,
)
