"""What a merger of communes changes in the deadlines (docs/rules.md#mergers): an open deadline
that expected an absorbed commune expects the survivor, once. The absorbed commune stays among
the deadline's communes, so its submission stays readable, but it is no longer expected from
the day the merger takes effect (`Commune.objects.serving`)."""

from __future__ import annotations

from bmp_comms.scoping import unscoped
from deadlines.models import Deadline


@unscoped()
def expect_the_survivor(sender, survivor, absorbed, effective_on, **kwargs) -> None:
    """Receiver of communes.signals.communes_merged, inside the merger's transaction."""
    open_deadlines = (
        Deadline.objects.unscoped().filter(closed_on__isnull=True, communes__in=absorbed).distinct()
    )
    for deadline in open_deadlines:
        # add() skips a pair already there: the survivor is expected once.
        deadline.communes.add(survivor)


def connect() -> None:
    from communes.signals import communes_merged

    communes_merged.connect(expect_the_survivor, dispatch_uid="deadlines-expect-the-survivor")
