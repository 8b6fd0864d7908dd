"""Raised after the transaction that created notices commits, with the ids of the notices it
created, so that the floors above (messengers) can deliver them without this app knowing them;
and, when a person marks notices read, so that the floors above may keep their own logs of them
(the reminder log's read time, deadlines.receivers)."""

from django.dispatch import Signal

# sender: Notification; kwargs: ids (list[int]).
notifications_created = Signal()

# sender: Notification; kwargs: user, read_at (the moment stamped on every notice just read).
# Sent inside the transaction that marks them.
notifications_read = Signal()
