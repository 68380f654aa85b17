from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from greenfactory import views
from greenfactory.middleware import shell_unchanged

admin.site.site_header = _("绿色工厂培育与认定平台 · 系统管理")
admin.site.site_title = _("绿色工厂培育与认定平台")

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/setlang/", shell_unchanged(login_not_required(set_language)), name="set_language"),
    path("accounts/", include("accounts.urls")),
    path("applications/", include("applications.urls")),
    path("evaluation/", include("evaluation.urls")),
    # Supervision after certification: revocation and its announcement (第十七条、第十八条)
    path("supervision/", include("supervision.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "greenfactory.views.server_error"
