"""GET /api/v1/dashboard/?date=YYYY-MM-DD: the dashboard's figures, from the page's selector."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from bmp_comms.permissions import CommuneDataPermission
from communes.dashboard_views import parse_as_of
from communes.selectors import Dashboard, Figures, dashboard_rows


def _percent_field() -> serializers.DecimalField:
    # Percent with one decimal, as a JSON number (66.7), null where the denominator is 0.
    return serializers.DecimalField(
        max_digits=6, decimal_places=1, coerce_to_string=False, allow_null=True
    )


class FlagCountsSerializer(serializers.Serializer):
    members_above_residents = serializers.IntegerField()
    count_fell_by_half = serializers.IntegerField()
    active_group_without_count = serializers.IntegerField()
    village_without_households = serializers.IntegerField()
    total = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer):
    villages_count = serializers.IntegerField()
    villages_with_group = serializers.IntegerField()
    villages_without_group = serializers.IntegerField()
    households = serializers.IntegerField()
    covered = serializers.IntegerField(help_text="Σ min(members, households)")
    coverage_pct = _percent_field()
    smartphone_users = serializers.IntegerField()
    installs = serializers.IntegerField()
    bluzone_pct = _percent_field()
    bluzone_target_pct = serializers.IntegerField()
    bluzone_gap_pct = _percent_field()
    untrained_admins = serializers.IntegerField()
    stale_groups = serializers.IntegerField()
    flags = FlagCountsSerializer()


class CommuneIdentitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


# Identity first, then the figures: DRF orders inherited fields by the order of the bases.
class CommuneRowSerializer(CommuneIdentitySerializer, FiguresSerializer):
    # Filled by other areas' row extensions (reports, bulletins); null until they do.
    last_bulletin = serializers.CharField(allow_null=True)
    deadline_status = serializers.CharField(allow_null=True)


class DashboardSerializer(serializers.Serializer):
    date = serializers.DateField(source="as_of")
    totals = FiguresSerializer()
    communes = CommuneRowSerializer(source="rows", many=True)


FIGURE_FIELDS = tuple(name for name in FiguresSerializer._declared_fields if name not in ("flags",))
FLAG_FIELDS = tuple(FlagCountsSerializer._declared_fields)


def _figures(figures: Figures) -> dict:
    data = {name: getattr(figures, name) for name in FIGURE_FIELDS}
    data["flags"] = {name: getattr(figures.flags, name) for name in FLAG_FIELDS}
    return data


def _text(value) -> str | None:
    return None if value is None else str(value)


def dashboard_json(board: Dashboard) -> dict:
    """What DashboardSerializer describes, built directly: at a province's scale DRF's field
    machinery would take longer than the query. Decimals are rendered as JSON numbers."""
    return {
        "date": board.as_of.isoformat(),
        "totals": _figures(board.totals),
        "communes": [
            {
                "id": row.id,
                "code": row.code,
                "name": row.name,
                **_figures(row),
                "last_bulletin": _text(row.last_bulletin),
                "deadline_status": _text(row.deadline_status),
            }
            for row in board.rows
        ],
    }


class DashboardView(APIView):
    """District users see every commune of their district, a commune's users their own."""

    # Token first, so an anonymous request is told 401 with a WWW-Authenticate header.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [CommuneDataPermission]

    @extend_schema(
        parameters=[
            OpenApiParameter("date", str, description="YYYY-MM-DD; today when absent"),
        ],
        responses=DashboardSerializer,
    )
    def get(self, request):
        as_of = parse_as_of(request.query_params.get("date"))
        board = dashboard_rows(user=request.user, as_of=as_of)
        return Response(dashboard_json(board))
