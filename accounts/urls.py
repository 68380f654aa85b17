from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_sent, name="register_sent"),
    path("register/confirm/<str:token>/", views.register_confirm, name="register_confirm"),
    path("register/done/", views.register_done, name="register_done"),
    path("registration/", views.registration_status, name="registration_status"),
    path("registrations/", views.registration_queue, name="registration_queue"),
    path("registrations/<uuid:public_id>/", views.registration_detail, name="registration_detail"),
    path("registrations/<uuid:public_id>/approve/", views.registration_approve, name="registration_approve"),
    path("registrations/<uuid:public_id>/refuse/", views.registration_refuse, name="registration_refuse"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("users/", views.account_list, name="account_list"),
    path("users/new/", views.account_create, name="account_create"),
    path("users/<uuid:public_id>/toggle/", views.account_toggle, name="account_toggle"),
    path("users/<uuid:public_id>/reset-password/", views.account_reset_password, name="account_reset_password"),
    path("profile/", views.profile, name="profile"),
    path("profile/identity-change/", views.identity_change_create, name="identity_change_create"),
    path("identity-changes/", views.identity_change_queue, name="identity_change_queue"),
    path("identity-changes/<uuid:public_id>/", views.identity_change_detail, name="identity_change_detail"),
    path("identity-changes/<uuid:public_id>/approve/", views.identity_change_approve,
         name="identity_change_approve"),
    path("identity-changes/<uuid:public_id>/refuse/", views.identity_change_refuse, name="identity_change_refuse"),
    path("colleagues/", views.colleagues, name="colleagues"),
    path("colleagues/new/", views.colleague_create, name="colleague_create"),
    path("colleagues/<uuid:public_id>/toggle/", views.colleague_toggle, name="colleague_toggle"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_mark_read"),
    path("inbox/<int:pk>/", views.notification_open, name="notification_open"),
    path("audit/", views.audit_log, name="audit_log"),
]
