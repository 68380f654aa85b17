from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("figures/", views.figures_list, name="figures_list"),
    path("figures/<int:year>/edit/", views.figures_edit, name="figures_edit"),
    path("figures/<uuid:public_id>/", views.figures_detail, name="figures_detail"),
    path("figures/<uuid:public_id>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("figures/<uuid:public_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    # Cultivation (培育阶段)
    path("cultivation/", views.my_cultivation, name="my_cultivation"),
    path("cultivation/overview/", views.cultivation_overview, name="cultivation_overview"),
    path("cultivation/<uuid:public_id>/", views.cultivation, name="cultivation"),
    path("cultivation/<uuid:public_id>/assign/", views.assign_expert, name="assign_expert"),
    path("cultivation/<uuid:public_id>/assistance/", views.assign_assistance, name="assign_assistance"),
    path("cultivation/<uuid:public_id>/<slug:action>/", views.entry_action, name="entry_action"),
    path("assessments/<uuid:public_id>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<uuid:public_id>/score/", views.scoring_edit, name="scoring_edit"),
    path("assessments/<uuid:public_id>/evidence/<int:evidence_id>/", views.scoring_evidence_download,
         name="scoring_evidence_download"),
    path("assessments/<uuid:public_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("assessments/<uuid:public_id>/plan/from-gaps/", views.plan_from_gaps, name="plan_from_gaps"),
    path("assessments/<uuid:public_id>/plan/add/", views.measure_add, name="measure_add"),
    path("assessments/<uuid:public_id>/<slug:action>/", views.assessment_action, name="assessment_action"),
    path("training/", views.event_list, name="event_list"),
    path("training/new/", views.event_create, name="event_create"),
    path("training/<uuid:public_id>/", views.event_detail, name="event_detail"),
    path("training/<uuid:public_id>/sign-up/", views.event_sign_up, name="event_sign_up"),
    path("training/<uuid:public_id>/attendance/", views.event_attendance, name="event_attendance"),
    path("training/<uuid:public_id>/cancel/", views.event_cancel, name="event_cancel"),
    path("assistance/", views.assistance_list, name="assistance_list"),
    path("assistance/<uuid:public_id>/visits/", views.assistance_visit, name="assistance_visit"),
    path("plans/", views.plan_overview, name="plan_overview"),
    path("plans/export/", views.plan_export, name="plan_export"),
    path("measures/<uuid:public_id>/", views.measure_detail, name="measure_detail"),
    path("measures/<uuid:public_id>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<uuid:public_id>/delete/", views.measure_delete, name="measure_delete"),
    path("measures/<uuid:public_id>/progress/", views.measure_progress, name="measure_progress"),
    path("measures/<uuid:public_id>/evidence/", views.measure_evidence_upload, name="measure_evidence_upload"),
    path("measures/<uuid:public_id>/evidence/<int:evidence_id>/", views.measure_evidence_download,
         name="measure_evidence_download"),
    path("measures/<uuid:public_id>/<slug:action>/", views.measure_action, name="measure_action"),
]
