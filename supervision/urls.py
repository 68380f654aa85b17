from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("titles/<uuid:public_id>/revoke/", views.revocation_create, name="revocation_create"),
    path("titles/<uuid:public_id>/revocation/", views.revocation_of_title, name="revocation_of_title"),
    path("revocations/", views.announcement_list, name="announcement_list"),
    path("revocations/<uuid:public_id>/", views.announcement_detail, name="announcement_detail"),
    path("revocations/<uuid:public_id>/announcement.pdf", views.announcement_pdf, name="announcement_pdf"),
    path("revocations/<uuid:public_id>/attachment/<int:version>/", views.attachment_download,
         name="attachment_download"),
]
