"""/api/v1/reports/: the compliance reports' archive (reports.compliance.api)."""

from rest_framework.routers import SimpleRouter

from reports.compliance import api

router = SimpleRouter()
router.register("reports", api.ComplianceReportViewSet, basename="api-report")

urlpatterns = [*router.urls]
