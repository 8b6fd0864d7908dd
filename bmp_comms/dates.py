import datetime

from django.utils import timezone


def local_today() -> datetime.date:
    """Today in Asia/Ho_Chi_Minh (DESIGN.md: "today" is the local day, not UTC's)."""
    return timezone.localdate()
