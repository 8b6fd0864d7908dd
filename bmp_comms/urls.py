from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from bmp_comms import views
from bmp_comms.converters import CommuneCodeConverter

# Before the apps' URLconfs are included: their pages name it.
register_converter(CommuneCodeConverter, "commune_code")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", views.ThrottledAdminLoginView.as_view(), name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("bmp_comms.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", include("communes.urls")),
    path("", include("dashboard.urls")),
    path("", include("groups.import_urls")),
    path("", include("groups.urls")),
    path("", include("bulletins.urls")),
    path("", include("deadlines.urls")),
    path("", include("notifications.urls")),
    path("", include("reports.urls")),
    # The commune's official channel, no login: /v/<code>/, /c/<commune code>/ and its feed.
    path("", include("public.urls")),
    path("", include("messenger.urls")),
]

handler400 = "bmp_comms.views.bad_request"
handler403 = "bmp_comms.views.permission_denied"
handler404 = "bmp_comms.views.page_not_found"
handler500 = "bmp_comms.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
