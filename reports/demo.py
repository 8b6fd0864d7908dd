"""Demo deadlines, submissions and inspections for `seed_demo`."""

from communes.models import District


def seed_demo_reports(*, district: District) -> None:
    """Idempotent: the reports app's part of the demo of Bù Gia Mập."""
