from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.views import identity, inbox, officials, passwords, registration
from greenfactory.middleware import shell_unchanged

app_name = "accounts"

urlpatterns = [
    path("login/", shell_unchanged(passwords.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", passwords.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/complete/", passwords.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("register/", registration.register, name="register"),
    path("register/sent/", registration.register_sent, name="register_sent"),
    path("register/confirm/<str:token>/", registration.register_confirm, name="register_confirm"),
    path("register/done/", registration.register_done, name="register_done"),
    path("registration/", registration.registration_status, name="registration_status"),
    path("registrations/", registration.registration_queue, name="registration_queue"),
    path("registrations/<uuid:public_id>/", registration.registration_detail, name="registration_detail"),
    path("registrations/<uuid:public_id>/approve/", registration.registration_approve, name="registration_approve"),
    path("registrations/<uuid:public_id>/refuse/", registration.registration_refuse, name="registration_refuse"),
    path("registrations/<uuid:public_id>/<slug:action>/", registration.registration_action,
         name="registration_action"),
    path("enterprises/", officials.enterprise_list, name="enterprise_list"),
    path("enterprises/<uuid:public_id>/", officials.enterprise_detail, name="enterprise_detail"),
    path("users/", officials.account_list, name="account_list"),
    path("users/new/", officials.account_create, name="account_create"),
    path("users/<uuid:public_id>/toggle/", officials.account_toggle, name="account_toggle"),
    path("users/<uuid:public_id>/reset-password/", officials.account_reset_password, name="account_reset_password"),
    path("profile/", identity.profile, name="profile"),
    path("profile/identity-change/", identity.identity_change_create, name="identity_change_create"),
    path("identity-changes/", identity.identity_change_queue, name="identity_change_queue"),
    path("identity-changes/<uuid:public_id>/", identity.identity_change_detail, name="identity_change_detail"),
    path("identity-changes/<uuid:public_id>/approve/", identity.identity_change_approve,
         name="identity_change_approve"),
    path("identity-changes/<uuid:public_id>/refuse/", identity.identity_change_refuse,
         name="identity_change_refuse"),
    path("identity-changes/<uuid:public_id>/<slug:action>/", identity.identity_change_action,
         name="identity_change_action"),
    path("colleagues/", officials.colleagues, name="colleagues"),
    path("colleagues/new/", officials.colleague_create, name="colleague_create"),
    path("colleagues/<uuid:public_id>/toggle/", officials.colleague_toggle, name="colleague_toggle"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read/", inbox.inbox_mark_read, name="inbox_mark_read"),
    path("inbox/email/", inbox.email_preferences, name="email_preferences"),
    path("inbox/<int:pk>/", inbox.notification_open, name="notification_open"),
    path("audit/", inbox.audit_log, name="audit_log"),
]
