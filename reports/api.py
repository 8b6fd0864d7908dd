"""/api/v1/reports/: the archive of compliance reports (docs/rules.md#compliance-report). POST asks
for one (202 {id, status}); GET lists them newest first; `reports/<id>/` says how one is getting on;
`reports/<id>/download/` answers the file, by token or session. Scope as on the page: district
users see their district's reports, a commune's users their own commune's only."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from bmp_comms.api import ScopedPrimaryKeyRelatedField
from bmp_comms.dates import local_today, parse_as_of
from communes.models import Commune
from reports import services
from reports.models import ComplianceReport, ReportFormat, ReportKind, ReportStatus


class MayCompile(BasePermission):
    """Every role reads its scope's reports and compiles (a commune's users for their own
    commune); a login without a role has no scope."""

    def has_permission(self, request, view) -> bool:
        return services.may_compile(request.user)


# `kind` and `status` already name other choice sets of the API (reminders, deliveries): each of
# these is listed as an enum in one component only, so the schema names it after that component.
class ReportSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="compliance")
    status = serializers.ChoiceField(choices=ReportStatus.choices, read_only=True)
    progress = serializers.IntegerField(read_only=True, min_value=0, max_value=100)
    number = serializers.CharField(read_only=True, help_text="NN/BC-VHTT, once compiling began")
    issued_on = serializers.DateField(
        read_only=True, allow_null=True, help_text="The day it was compiled; null until then"
    )
    error = serializers.CharField(read_only=True, help_text="Why it failed, when it did")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ComplianceReport
        fields = [
            "id",
            "kind",
            "format",
            "as_of",
            "commune",
            "number",
            "status",
            "progress",
            "requested_by",
            "created_at",
            "download_url",
            "issued_on",
            "error",
        ]
        read_only_fields = fields

    @extend_schema(responses=OpenApiTypes.URI)
    def get_download_url(self, report: ComplianceReport) -> str | None:
        if report.status != ReportStatus.DONE:
            return None
        url = reverse("api-report-download", args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices, default=ReportKind.COMPLIANCE)
    format = serializers.ChoiceField(choices=ReportFormat.choices, default=ReportFormat.PDF)
    as_of = serializers.DateField(
        required=False, help_text="YYYY-MM-DD, from 2000-01-01 to today; today when absent"
    )
    commune = ScopedPrimaryKeyRelatedField(
        queryset=Commune.objects,
        required=False,
        allow_null=True,
        help_text="A one-commune report; absent for the whole top unit (a commune's users: "
        "their own commune, whatever is sent)",
    )

    def validate_as_of(self, value):
        # The dashboard's date rule (bmp_comms.dates), so the API and the page agree.
        try:
            return parse_as_of(value.isoformat())
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["date"]) from exc


class ReportAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField(help_text="pending, as the report waits for a worker")


class ComplianceReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [MayCompile]
    serializer_class = ReportSerializer

    def get_queryset(self):
        return ComplianceReport.objects.for_user(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportAcceptedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ReportRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = services.report_request(
            user=request.user,
            kind=data["kind"],
            fmt=data["format"],
            as_of=data.get("as_of") or local_today(),
            commune=data.get("commune"),
        )
        report.refresh_from_db(fields=["status"])
        return Response({"id": report.pk, "status": report.status}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: ReportAcceptedSerializer})
    @action(detail=True, methods=["post"], url_path="compile-again")
    def compile_again(self, request, pk=None):
        report = services.report_compile_again(user=request.user, report=self.get_object())
        return Response({"id": report.pk, "status": report.status}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): (
                OpenApiTypes.BINARY
            ),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = self.get_object()
        if not report.file:
            raise Http404
        return FileResponse(
            report.file.open("rb"), as_attachment=True, filename=report.download_name
        )
