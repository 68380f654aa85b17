from django.urls import path

from applications import views
from applications.views import certification as certification_views
from applications.views import city_review as city_review_views
from applications.views import directory as directory_views
from applications.views import public as public_views
from applications.views import publicity as publicity_views
from applications.views import review as review_views
from applications.views import titles as title_views

app_name = "applications"

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<uuid:public_id>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<uuid:public_id>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<uuid:public_id>/extend/", views.campaign_extend, name="campaign_extend"),
    path("campaigns/<uuid:public_id>/close/", views.campaign_close, name="campaign_close"),
    path("campaigns/<uuid:public_id>/apply/", views.intake_start, name="intake_start"),
    path("intake/", views.my_applications, name="my_applications"),
    path("intake/queue/", views.intake_queue, name="intake_queue"),
    path("intake/<uuid:public_id>/", views.intake_detail, name="intake_detail"),
    path("intake/<uuid:public_id>/edit/", views.intake_edit, name="intake_edit"),
    path("intake/<uuid:public_id>/form.pdf", views.intake_pdf, name="intake_pdf"),
    path("intake/<uuid:public_id>/scan/", views.scan_upload, name="scan_upload"),
    path("intake/<uuid:public_id>/scan/<int:scan_id>/", views.scan_download, name="scan_download"),
    path("intake/<uuid:public_id>/<slug:action>/", views.intake_action, name="intake_action"),
    path("library/", views.library, name="library"),
    path("review-tasks/", review_views.review_task_list, name="review_task_list"),
    path("review-tasks/<uuid:public_id>/<slug:action>/", review_views.review_task_action, name="review_task_action"),
    path("notices/", public_views.campaign_notices, name="campaign_notices"),
    path("library/export.xlsx", views.library_export, name="library_export"),
    # Certification, part 1 (第三条、第六条至第十条)
    path("rounds/", certification_views.round_list, name="round_list"),
    path("rounds/new/", certification_views.round_create, name="round_create"),
    path("rounds/<uuid:public_id>/", certification_views.round_detail, name="round_detail"),
    path("rounds/<uuid:public_id>/edit/", certification_views.round_edit, name="round_edit"),
    path("rounds/<uuid:public_id>/recommended.xlsx", certification_views.recommended_export,
         name="recommended_export"),
    path("rounds/<uuid:public_id>/recommended.pdf", certification_views.recommended_pdf, name="recommended_pdf"),
    path("certification/", certification_views.my_certification, name="my_certification"),
    path("certification/queue/", certification_views.certification_queue, name="certification_queue"),
    path("certification/notices/", certification_views.round_notices, name="round_notices"),
    # Certification, part 2 (第十一条): the proposed lists, the departments' opinions, the notice, the decision.
    path("proposed-lists/", city_review_views.proposed_lists, name="proposed_lists"),
    path("proposed-lists/<uuid:public_id>/", city_review_views.proposed_list_detail, name="proposed_list_detail"),
    path("proposed-lists/<uuid:public_id>/send/", city_review_views.proposed_list_send, name="proposed_list_send"),
    path("proposed-lists/<uuid:public_id>/answer/", city_review_views.department_answer, name="department_answer"),
    path("proposed-lists/<uuid:public_id>/publish/", city_review_views.notice_publish, name="notice_publish"),
    path("proposed-lists/<uuid:public_id>/decide/", city_review_views.decision_issue, name="decision_issue"),
    path("proposed-lists/<uuid:public_id>/objection-files/<int:file_id>/", city_review_views.objection_file_download,
         name="objection_file_download"),
    path("proposed-lists/<uuid:public_id>/opinion-files/<int:file_id>/", city_review_views.department_file_download,
         name="department_file_download"),
    path("objections/<uuid:public_id>/<slug:action>/", city_review_views.objection_action, name="objection_action"),
    path("publicity/", publicity_views.notice_list, name="notice_list"),
    path("publicity/<uuid:public_id>/", publicity_views.notice_detail, name="notice_detail"),
    path("decisions/<uuid:public_id>/", publicity_views.decision_detail, name="decision_detail"),
    path("decisions/<uuid:public_id>/document.pdf", publicity_views.decision_document, name="decision_document"),
    # Titles, certificates, the national recommendation and the public directory (第十二条、第三条)
    path("titles/", title_views.title_list, name="title_list"),
    path("titles/national.xlsx", title_views.national_export, name="national_export"),
    path("titles/directory/", directory_views.title_directory, name="title_directory"),
    path("titles/directory.csv", directory_views.title_directory_csv, name="title_directory_csv"),
    path("titles/directory.json", directory_views.title_directory_json, name="title_directory_json"),
    path("titles/verify/", directory_views.title_verify, name="title_verify"),
    path("titles/verify/<str:number>/", directory_views.title_verify_number, name="title_verify_number"),
    path("titles/<uuid:public_id>/", title_views.title_detail, name="title_detail"),
    path("titles/<uuid:public_id>/national/", title_views.title_national, name="title_national"),
    path("titles/<uuid:public_id>/certificate/", title_views.certificate_download, name="certificate_download"),
    path("decisions/<uuid:public_id>/certificates/", title_views.decision_certificates,
         name="decision_certificates"),
    path("decisions/<uuid:public_id>/certificates/generate/", title_views.certificates_start,
         name="certificates_start"),
    path("decisions/<uuid:public_id>/certificates/status.json", title_views.certificates_status,
         name="certificates_status"),
    path("decisions/<uuid:public_id>/certificates.zip", title_views.certificates_zip, name="certificates_zip"),
    path("decisions/<uuid:public_id>/decision.pdf", title_views.decision_pdf, name="decision_pdf"),
]
