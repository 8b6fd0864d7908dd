"""GET /api/v1/dashboard/?date=YYYY-MM-DD: the dashboard's figures, from the page's selector."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from bmp_comms.dates import parse_as_of
from bmp_comms.permissions import CommuneDataPermission
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


class DashboardDeadlineStatusSerializer(serializers.Serializer):
    deadline = serializers.IntegerField(source="deadline_id")
    directive = serializers.CharField()
    title = serializers.CharField()
    due_date = serializers.DateField()
    status = serializers.ChoiceField(
        choices=["on_time", "pending", "overdue"],
        help_text="on_time: submitted by D (the deadline not yet passed); pending: not submitted, "
        "due on or after D; overdue: not submitted as of D, due before D",
    )
    days = serializers.IntegerField(help_text="days left when pending, days overdue when overdue")
    submitted_at = serializers.DateTimeField(allow_null=True)


# Identity first, then the figures: DRF orders inherited fields by the order of the bases.
class CommuneRowSerializer(CommuneIdentitySerializer, FiguresSerializer):
    # Filled by other areas' row extensions (reports, bulletins); null until they do.
    last_bulletin = serializers.CharField(allow_null=True)
    deadline_status = DashboardDeadlineStatusSerializer(
        many=True,
        allow_null=True,
        help_text="The commune's open deadlines as of D, by due date; null when it has none",
    )


class DashboardDeadlineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    directive = serializers.CharField()
    due_date = serializers.DateField()
    expected = serializers.IntegerField()
    submitted = serializers.IntegerField(help_text="submitted on or before D")
    on_time = serializers.IntegerField()
    reporting_rate = _percent_field()
    timeliness = _percent_field()
    missing_communes = CommuneIdentitySerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    date = serializers.DateField(source="as_of")
    totals = FiguresSerializer()
    communes = CommuneRowSerializer(source="rows", many=True)
    deadlines = DashboardDeadlineSerializer(
        many=True,
        help_text="Deadlines due on or after D minus 30 days, by due date, figures as of D",
    )


FIGURE_FIELDS = tuple(name for name in FiguresSerializer._declared_fields if name not in ("flags",))
FLAG_FIELDS = tuple(FlagCountsSerializer._declared_fields)


def _figures(figures: Figures) -> dict:
    data = {name: getattr(figures, name) for name in FIGURE_FIELDS}
    data["flags"] = {name: getattr(figures.flags, name) for name in FLAG_FIELDS}
    return data


def _text(value) -> str | None:
    return None if value is None else str(value)


def _moment(value) -> str | None:
    # As DRF renders a DateTimeField: local time with its offset.
    return None if value is None else timezone.localtime(value).isoformat()


def _deadline_status(statuses) -> list[dict] | None:
    if statuses is None:
        return None
    return [
        {
            "deadline": status.deadline_id,
            "directive": status.directive,
            "title": status.title,
            "due_date": status.due_date.isoformat(),
            "status": status.status,
            "days": status.days,
            "submitted_at": _moment(status.submitted_at),
        }
        for status in statuses
    ]


def _deadline(line) -> dict:
    return {
        "id": line.id,
        "title": line.title,
        "directive": line.directive,
        "due_date": line.due_date.isoformat(),
        "expected": line.expected,
        "submitted": line.submitted,
        "on_time": line.on_time,
        "reporting_rate": line.reporting_rate,
        "timeliness": line.timeliness,
        "missing_communes": [
            {"id": commune.id, "code": commune.code, "name": commune.name}
            for commune in line.missing_communes
        ],
    }


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
                "deadline_status": _deadline_status(row.deadline_status),
            }
            for row in board.rows
        ],
        "deadlines": [_deadline(line) for line in board.deadlines],
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
