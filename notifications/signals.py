"""Raised after the transaction that created notices commits, with the ids of the notices it
created, so that the floors above (messengers) can deliver them without this app knowing them."""

from django.dispatch import Signal

# sender: Notification; kwargs: ids (list[int]).
notifications_created = Signal()
