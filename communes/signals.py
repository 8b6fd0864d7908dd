"""What a write that bypasses `Model.save()` (bulk_create, QuerySet.update) must announce.

The dashboard keeps each commune's figures of past days precomputed; a single save or delete of
a village, a group or a count reaches it through Django's model signals. A bulk write sends
`figures_changed` instead, inside its transaction, naming the communes whose figures it may
change and the earliest date it touches (None: every date, as an edit of a village or a group
does, since the figures of every day read them as they are now).
"""

from __future__ import annotations

from django.dispatch import Signal

# send(sender=<model>, commune_ids=<iterable of Commune pks>, since=<datetime.date | None>)
figures_changed = Signal()

# Sent inside a merger's transaction, after the absorbed communes are marked:
# send(sender=Commune, survivor=<Commune>, absorbed=<list of Commune>, effective_on=<date>).
# The floors above move what they hold that follows a commune (open deadlines expect the survivor).
communes_merged = Signal()
