"""GET /api/v1/dashboard/?date=YYYY-MM-DD and /api/v1/communes/: the dashboard's figures, from
the page's own selector, so the API, the page and the exports can never disagree."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from bmp_comms.dates import local_today, parse_as_of
from bmp_comms.permissions import CommuneDataPermission, DistrictStaffWrites
from communes import places
from communes.mergers import commune_merge
from communes.models import Commune, CommuneKind
from dashboard.figures import FIGURES, Figures
from dashboard.selectors import Dashboard, commune_rows, dashboard_rows
from dashboard.tasks import queue_fill_on_commit


def _percent_field() -> serializers.DecimalField:
    # Percent with one decimal, as a JSON number (66.7), null where the denominator is 0.
    return serializers.DecimalField(
        max_digits=6, decimal_places=1, coerce_to_string=False, allow_null=True
    )


def _figure_field(figure) -> serializers.Field:
    if figure.kind == "percent":
        return _percent_field()
    return serializers.IntegerField(help_text=getattr(figure, "help_text", "") or None)


# The figures as dashboard.figures declares them; the flags nested under `flags`.
FlagCountsSerializer = type(
    "FlagCountsSerializer",
    (serializers.Serializer,),
    {
        **{f.name: _figure_field(f) for f in FIGURES if getattr(f, "flag", False)},
        "total": serializers.IntegerField(),
    },
)
FiguresSerializer = type(
    "FiguresSerializer",
    (serializers.Serializer,),
    {
        **{f.name: _figure_field(f) for f in FIGURES if not getattr(f, "flag", False)},
        "flags": FlagCountsSerializer(),
    },
)


POSTING_UNDER_80_HELP = (
    "Communes in scope whose posting_pct is under 80 (a commune with no delivery in the 30 "
    "days, posting_pct null, is not counted)"
)


class TotalsSerializer(FiguresSerializer):
    """The top unit's figures (sums of its communes', percentages of those sums) and the board's
    count of communes under 80 % posting proof."""

    communes_posting_under_80 = serializers.IntegerField(help_text=POSTING_UNDER_80_HELP)


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
    kind = serializers.ChoiceField(choices=CommuneKind.choices)
    deadline_status = DashboardDeadlineStatusSerializer(
        many=True,
        allow_null=True,
        help_text="The commune's open deadlines as of D (a deadline closed on or before D is "
        "open for nobody), by due date; null when it has none",
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
    totals = TotalsSerializer()
    communes = CommuneRowSerializer(source="rows", many=True)
    deadlines = DashboardDeadlineSerializer(
        many=True,
        help_text="Deadlines due on or after D minus 30 days, by due date, figures as of D",
    )
    communes_without_bulletins_7d = serializers.IntegerField(
        help_text="Communes in scope that published no bulletin in the 7 days to D"
    )
    communes_posting_under_80 = serializers.IntegerField(help_text=POSTING_UNDER_80_HELP)


FIGURE_FIELDS = tuple(name for name in FiguresSerializer._declared_fields if name != "flags")
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
        "totals": {
            **_figures(board.totals),
            "communes_posting_under_80": board.totals.communes_posting_under_80,
        },
        "communes": [
            {
                "id": row.id,
                "code": row.code,
                "name": row.name,
                "kind": row.kind,
                **_figures(row),
                "deadline_status": _deadline_status(row.deadline_status),
            }
            for row in board.rows
        ],
        "deadlines": [_deadline(line) for line in board.deadlines],
        "communes_without_bulletins_7d": board.communes_without_bulletins_7d,
        "communes_posting_under_80": board.communes_posting_under_80,
    }


class DashboardView(APIView):
    """District users see every commune of their district, a commune's users their own."""

    # Token first, so an anonymous request is told 401 with a WWW-Authenticate header.
    permission_classes = [CommuneDataPermission]

    @extend_schema(
        parameters=[
            OpenApiParameter("date", str, description="YYYY-MM-DD; today when absent"),
        ],
        responses=DashboardSerializer,
    )
    def get(self, request):
        as_of = parse_as_of(request.query_params.get("date"))
        board = dashboard_rows(user=request.user, as_of=as_of, queue_fill=queue_fill_on_commit)
        return Response(dashboard_json(board))


@extend_schema_field({"type": "number", "format": "double", "nullable": True, "example": 66.7})
class PercentField(serializers.Field):
    """A percentage as a JSON number with one decimal (66.7), or null where the denominator is 0
    (docs/rules.md#percentages); the selectors already round half-up."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return None if value is None else float(value)


class CommuneSerializer(serializers.ModelSerializer):
    """A commune with its figures as of today (docs/rules.md#coverage)."""

    # Declared so that uniqueness is the model's rule, answered by the service.
    code = serializers.CharField(max_length=16)
    # `figures` is attached by the view to a whole page at once, in one query.
    villages_count = serializers.IntegerField(source="figures.villages_count", read_only=True)
    villages_with_group = serializers.IntegerField(
        source="figures.villages_with_group", read_only=True
    )
    coverage_pct = PercentField(source="figures.coverage_pct")
    bluzone_pct = PercentField(source="figures.bluzone_pct")
    bluzone_target_pct = serializers.IntegerField(
        source="effective_bluzone_target_pct",
        read_only=True,
        help_text=_("The commune's own target, else its top unit's."),
    )

    class Meta:
        model = Commune
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "villages_count",
            "villages_with_group",
            "coverage_pct",
            "bluzone_pct",
            "bluzone_target_pct",
            "merged_into",
            "merged_on",
        ]
        read_only_fields = ["merged_into", "merged_on"]


class MergeSerializer(serializers.Serializer):
    absorbed = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=True)
    effective_on = serializers.DateField()


class ReleasedFieldSerializer(serializers.Serializer):
    commune = serializers.IntegerField()
    field = serializers.CharField()
    officer = serializers.IntegerField()


class MergerSerializer(serializers.Serializer):
    commune = serializers.IntegerField(source="commune.pk")
    absorbed = serializers.ListField(child=serializers.IntegerField())
    villages_moved = serializers.IntegerField()
    groups_moved = serializers.IntegerField()
    users_moved = serializers.IntegerField()
    fields_released = ReleasedFieldSerializer(many=True)


def with_figures(communes: list[Commune]) -> list[Commune]:
    """Attach each commune's figures as of today, for all of them in one query: the
    dashboard's own rows, so `communes/` and `dashboard/` can never disagree."""
    if communes:
        rows = commune_rows(
            # The communes given, read from the user's scope by the caller.
            communes=Commune.objects.unscoped().filter(pk__in=[c.pk for c in communes]),
            as_of=local_today(),
        )
        figures = {row.id: row for row in rows}
        for commune in communes:
            commune.figures = figures[commune.pk]
    return communes


class CommuneViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Communes in the user's scope with their figures as of today; district staff add one."""

    permission_classes = [DistrictStaffWrites]
    serializer_class = CommuneSerializer

    def get_queryset(self):
        communes = Commune.objects.for_user(self.request.user).select_related("district")
        if self.action == "list":
            # An absorbed commune leaves the list from its merger's day; its row stays
            # readable by id, as history.
            communes = communes.serving(local_today())
        return communes.order_by("name", "pk")

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = with_figures(list(queryset if page is None else page))
        serializer = self.get_serializer(rows, many=True)
        if page is None:
            return Response(serializer.data)
        return self.get_paginated_response(serializer.data)

    def get_object(self):
        return with_figures([super().get_object()])[0]

    @extend_schema(request=MergeSerializer, responses={200: MergerSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Absorb communes of the same top unit into this one from `effective_on`
        (docs/rules.md#mergers); district staff only."""
        survivor = super().get_object()
        payload = MergeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        merger = commune_merge(
            survivor=survivor,
            absorbed_ids=payload.validated_data["absorbed"],
            effective_on=payload.validated_data["effective_on"],
        )
        return Response(MergerSerializer(merger).data)

    def perform_create(self, serializer):
        commune = places.commune_create(
            district=self.request.user.profile.district,
            code=serializer.validated_data["code"],
            name=serializer.validated_data["name"],
            kind=serializer.validated_data.get("kind", ""),
        )
        serializer.instance = with_figures([commune])[0]
