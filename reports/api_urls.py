"""/api/v1/reports/: the compliance reports' archive (reports.api)."""

from rest_framework.routers import SimpleRouter

from reports import api

router = SimpleRouter()
router.register("reports", api.ComplianceReportViewSet, basename="api-report")

urlpatterns = [*router.urls]
