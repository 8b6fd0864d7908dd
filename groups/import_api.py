"""POST /api/v1/communes/<id>/import/villages/ and …/import/member-counts/ (multipart `file`).

201 {created, updated} when every row was written, 400 {"errors": [{row, column, message}]} when
none was; the same services and the same messages as the import pages.
"""

from __future__ import annotations

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from bmp_comms.permissions import can_edit_commune_data
from communes.models import Commune
from groups import imports


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX; the header is row 1.")


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ImportErrorsSerializer(serializers.Serializer):
    file = serializers.ListField(child=serializers.CharField())
    errors = RowErrorSerializer(many=True)


class VillagesImportedSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class MemberCountsImportedSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class _ImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    importer = None

    def post(self, request, pk: int):
        commune = get_object_or_404(Commune.objects.for_user(request.user), pk=pk)
        if not can_edit_commune_data(request.user, commune):
            raise PermissionDenied
        try:
            result = type(self).importer(
                commune=commune, upload=request.FILES.get("file"), actor=request.user
            )
        except imports.ImportRejected as exc:
            # DRF's shape for people and generic clients ("file": messages naming row and
            # column), and the same errors as data for scripts ("errors").
            return Response(
                {
                    "file": [str(error) for error in exc.errors],
                    "errors": [error.as_dict() for error in exc.errors],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(asdict(result), status=status.HTTP_201_CREATED)


class VillagesImportView(_ImportView):
    importer = staticmethod(imports.villages_import)

    @extend_schema(
        operation_id="communes_import_villages",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: VillagesImportedSerializer, 400: ImportErrorsSerializer},
        description="Columns: name, kind, households, residents, smartphone_users. A village "
        "of the same name is updated. All rows or none.",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)


class MemberCountsImportView(_ImportView):
    importer = staticmethod(imports.member_counts_import)

    @extend_schema(
        operation_id="communes_import_member_counts",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: MemberCountsImportedSerializer, 400: ImportErrorsSerializer},
        description="Columns: village, group, date (dd/mm/yyyy), members. A count that already "
        "exists for the group and date is an error. All rows or none.",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)
