from django.urls import path

from applications import views
from applications.views import certification as certification_views
from applications.views import public as public_views
from applications.views import review as review_views

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
]
