from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # one login for staff and the admin: lockout (django-axes) and the second factor apply to both
    path("admin/login/", RedirectView.as_view(url="/workbench/login/", query_string=True)),
    path("admin/", admin.site.urls),
    path("workbench/security/", include("gongkai.security.urls")),
    path("captcha/", include("captcha.urls")),  # captcha images for the portal's rate limits
    path("workbench/reports/", include("gongkai.annual_reports.urls")),
    path("workbench/imports/", include("gongkai.report_import.urls")),
    path("workbench/records/", include("gongkai.records.urls")),
    path("workbench/pii/", include("gongkai.pii.urls")),
    path("workbench/frequent/", include("gongkai.frequent.urls")),
    path("", include("gongkai.interpretations.urls")),
    path("", include("gongkai.consultations.urls")),
    path("", include("gongkai.qa.urls")),
    path("workbench/", include("gongkai.workbench.urls")),
    path("api/", include("gongkai.api.urls")),
    path("reports/", include("gongkai.annual_reports.public_urls")),
    path("", include("gongkai.column.urls")),  # 政府信息公开专栏: "/" is its home
    path("", include("gongkai.portal.urls")),
]

# Uploaded and generated files are never served from MEDIA_URL (not even with DEBUG on): only
# views that check access serve them (gongkai.files).

# Chinese error pages (gongkai.security.views), DEBUG on or off.
handler400 = "gongkai.security.views.bad_request"
handler403 = "gongkai.security.views.permission_denied"
handler404 = "gongkai.security.views.page_not_found"
handler500 = "gongkai.security.views.server_error"
