from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("figures/", views.figures_list, name="figures_list"),
    path("figures/<int:year>/edit/", views.figures_edit, name="figures_edit"),
    path("figures/<uuid:public_id>/", views.figures_detail, name="figures_detail"),
    path("figures/<uuid:public_id>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("figures/<uuid:public_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
]
