"""The dashboard's kept figures: each commune's sums as of a day, today included."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from bmp_comms.models import ScopedModel
from bmp_comms.scoping import CommuneScopedQuerySet
from communes.models import Commune


class DailyCommuneSnapshot(ScopedModel):
    """A commune's summed figures (dashboard.figures.SUMMED) as of one day, kept so the
    dashboard's table and its series are read rather than recomputed from the counts
    (dashboard.snapshots).

    A row is either exact or absent: a write that may change a commune's figures of a day
    deletes that day's row in its own transaction (today's it computes again there), and a
    reader computes an absent row from the counts, so a snapshot is never stale; a worker fills
    it again afterwards.
    """

    commune_scope = "commune"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    # dashboard.figures.SUMMED, each by its name (the numerators and denominators of RATIOS
    # among them).
    villages_count = models.BigIntegerField()
    villages_with_group = models.BigIntegerField()
    covered = models.BigIntegerField()
    households = models.BigIntegerField()
    installs = models.BigIntegerField()
    smartphone_users = models.BigIntegerField()
    untrained_admins = models.BigIntegerField()
    stale_groups = models.BigIntegerField()
    members_above_residents = models.BigIntegerField()
    count_fell_by_half = models.BigIntegerField()
    active_group_without_count = models.BigIntegerField()
    village_without_households = models.BigIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)

    objects = CommuneScopedQuerySet.as_manager()

    class Meta:
        # The table of the app that first held the model: moving it between apps moved no row.
        db_table = "reports_dailycommunesnapshot"
        constraints = [
            models.UniqueConstraint(fields=["commune", "date"], name="one_snapshot_per_commune_day")
        ]
        # The series reads every commune in scope at a dozen dates.
        indexes = [models.Index(fields=["date", "commune"], name="snapshot_date_commune")]

    def __str__(self) -> str:
        return f"{self.commune_id} @ {self.date:%d/%m/%Y}"
