from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise, classproperty
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bmp_comms.models import ScopedModel
from bmp_comms.roles import COMMUNE_ROLES, DISTRICT_ROLES, Role
from bmp_comms.scoping import CommuneScopedQuerySet
from communes.kinds import CommuneKind, TopUnitKind, VillageKind

DEFAULT_BLUZONE_TARGET_PCT = 50


class District(models.Model):
    """The top administrative unit of a deployment: a district in 2021, a province after 2025.
    Its `kind` says which, and names it on every page (communes.wording)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=TopUnitKind.choices,
        default=TopUnitKind.DISTRICT,
        # Also in the database, so that rows written by SQL (bench.dataset) have one.
        db_default=TopUnitKind.DISTRICT,
    )
    province_name = models.CharField(_("province"), max_length=120, blank=True)
    province_code = models.CharField(_("province code"), max_length=16, blank=True)
    bluzone_target_pct = models.PositiveSmallIntegerField(
        _("Bluzone target (%)"),
        default=DEFAULT_BLUZONE_TARGET_PCT,
        validators=[MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bluzone_target_pct__lte=100), name="district_target_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return self.name


class CommuneQuerySet(CommuneScopedQuerySet):
    def serving(self, on: datetime.date) -> CommuneQuerySet:
        """The communes in service on `on`: an absorbed commune leaves every list, dashboard,
        deadline and reminder from the day its merger takes effect (docs/rules.md#mergers)."""
        return self.filter(Q(merged_on__isnull=True) | Q(merged_on__gt=on))


class Commune(ScopedModel):
    commune_scope = ""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="communes", verbose_name=_("district")
    )
    code = models.CharField(_("official code"), max_length=16, unique=True)
    # Without its kind word: "Đa Kia", never "Xã Đa Kia" (communes.wording.commune_title).
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=CommuneKind.choices,
        default=CommuneKind.XA,
        db_default=CommuneKind.XA,
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    bluzone_target_pct = models.PositiveSmallIntegerField(
        _("Bluzone target (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Leave empty to use the district's target."),
    )
    # A commune absorbed by a merger keeps its row, for its history (docs/rules.md#mergers).
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="absorbed",
        verbose_name=_("merged into"),
    )
    merged_on = models.DateField(_("merged on"), null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bluzone_target_pct__isnull=True) | Q(bluzone_target_pct__lte=100),
                name="commune_target_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True, merged_on__isnull=True)
                | Q(merged_into__isnull=False, merged_on__isnull=False),
                name="commune_merged_with_its_date",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="commune_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_bluzone_target_pct(self) -> int:
        if self.bluzone_target_pct is not None:
            return self.bluzone_target_pct
        return self.district.bluzone_target_pct


class Village(ScopedModel):
    commune_scope = "commune"

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="villages", verbose_name=_("commune")
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=16, choices=VillageKind.choices, default=VillageKind.THON
    )
    households = models.PositiveIntegerField(_("households"), default=0)
    residents = models.PositiveIntegerField(_("residents"), default=0)
    smartphone_users = models.PositiveIntegerField(_("smartphone users"), default=0)

    objects = CommuneScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["commune__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="village_unique_name"),
            models.CheckConstraint(
                condition=Q(households__gte=0) & Q(residents__gte=0) & Q(smartphone_users__gte=0),
                name="village_counts_non_negative",
            ),
        ]

    def __str__(self) -> str:
        # Names already carry their kind ("Thôn 1", "Bon Bu Dốt").
        return self.name


# What a village's writer gives besides its commune (form, API and services alike).
VILLAGE_SIZES = ("households", "residents", "smartphone_users")
VILLAGE_FIELDS = ("name", "kind", *VILLAGE_SIZES)


class DatedCount(ScopedModel):
    """A number about an owner (a group's members, a village's Bluzone installs) on a date:
    history, one row per owner and date, never overwritten; a correction is an edit, kept in
    the change history. Written by `communes.services.dated_count_record` and
    `dated_count_correct`.

    A concrete count names its owner's foreign key and its number field, and the message for a
    second count of the same owner and date."""

    owner_field: ClassVar[str]
    value_field: ClassVar[str]
    duplicate_message: ClassVar[str | Promise]

    date = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommuneScopedQuerySet.as_manager()
    # Each concrete count gets its own history table (Historical<Model>), as before.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.owner}: {self.value} ({self.date:%d/%m/%Y})"

    @classproperty
    def commune_scope(cls) -> str:
        # A count belongs to its owner's commune (bmp_comms.scoping).
        return f"{cls.owner_field}__{cls.owner_model().commune_scope}"

    @classmethod
    def owner_model(cls) -> type[models.Model]:
        return cls._meta.get_field(cls.owner_field).related_model

    @property
    def owner(self) -> models.Model:
        return getattr(self, self.owner_field)

    @property
    def value(self) -> int:
        return getattr(self, self.value_field)


def dated_count_constraints(
    owner: str, value: str, *, prefix: str, non_negative: str = ""
) -> list[models.BaseConstraint]:
    """The rules of a dated count in the database, so a race or a bug cannot break them:
    `<prefix>_one_per_day`, also the index that serves "latest count on or before D" per owner,
    and `<prefix>_non_negative` unless the check has an older name of its own."""
    return [
        models.UniqueConstraint(fields=[owner, "date"], name=f"{prefix}_one_per_day"),
        models.CheckConstraint(
            condition=Q(**{f"{value}__gte": 0}), name=non_negative or f"{prefix}_non_negative"
        ),
    ]


class BluzoneCount(DatedCount):
    """Bluzone installs in a village on a date (D10)."""

    owner_field = "village"
    value_field = "installs"
    duplicate_message = _("A count for this village on this date already exists.")

    village = models.ForeignKey(
        Village, on_delete=models.CASCADE, related_name="bluzone_counts", verbose_name=_("village")
    )
    installs = models.PositiveIntegerField(_("installs"))

    class Meta(DatedCount.Meta):
        verbose_name = _("Bluzone count")
        verbose_name_plural = _("Bluzone counts")
        # The check keeps the name the database has known it by.
        constraints = dated_count_constraints(
            "village",
            "installs",
            prefix="bluzone_count",
            non_negative="bluzone_installs_non_negative",
        )


class Officer(ScopedModel):
    """A member of a commune's staff; may have a login, may be responsible for fields."""

    commune_scope = "commune"

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="officers", verbose_name=_("commune")
    )
    full_name = models.CharField(_("full name"), max_length=120)
    position = models.CharField(_("position"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officer",
        verbose_name=_("login"),
    )

    objects = CommuneScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["commune__name", "full_name"]

    def __str__(self) -> str:
        return self.full_name


class ProfileManager(models.Manager):
    """Reads a profile with its top unit, in the one query that reads the profile: every page
    names the user's role in the words of the top unit's kind (communes.wording), so
    `request.user.profile` brings the kind along rather than costing a query per page."""

    use_in_migrations = True

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("district")


class UserProfile(models.Model):
    """A login's role and scope: a commune for commune roles, the district for all."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="profiles", verbose_name=_("district")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("commune"),
    )

    objects = models.Manager()
    # `user.profile` goes through the base manager.
    with_top_unit = ProfileManager()

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")
        base_manager_name = "with_top_unit"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(COMMUNE_ROLES), commune__isnull=False)
                    | Q(role__in=sorted(DISTRICT_ROLES), commune__isnull=True)
                ),
                name="profile_commune_matches_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_district_role(self) -> bool:
        return self.role in DISTRICT_ROLES

    @property
    def is_commune_role(self) -> bool:
        return self.role in COMMUNE_ROLES


class Field(models.Model):
    """A field of responsibility (lĩnh vực); referred to by its code everywhere."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["code"]
        # The table keeps the name it had when fields lived in the bulletins app.
        db_table = "bulletins_field"

    def __str__(self) -> str:
        return self.name


class FieldAssignment(ScopedModel):
    """One responsible officer per (commune, field), so one piece of news has one poster (D8)."""

    commune_scope = "commune"

    commune = models.ForeignKey(
        Commune,
        on_delete=models.CASCADE,
        related_name="field_assignments",
        verbose_name=_("commune"),
    )
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("field")
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("officer")
    )

    objects = CommuneScopedQuerySet.as_manager()
    # Who answered for a field, and since when: each reassignment is kept (issue #10).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("field assignment")
        verbose_name_plural = _("field assignments")
        db_table = "bulletins_fieldassignment"
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "field"], name="one_officer_per_commune_field"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field_id}: {self.officer}"
