from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bmp_comms.scoping import unscoped
from demo.communes import seed_demo
from demo.reform import demo_reform


class Command(BaseCommand):
    help = (
        "Write the demo of Bù Gia Mập (8 communes, villages, groups, counts, demo users, the "
        "deadline of 606/UBND-VX). Idempotent: a second run creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reform",
            action="store_true",
            help="then apply the 2025 reform as data: Đồng Nai province, Phước Minh and Bình "
            "Thắng merged into Đa Kia, Đức Hạnh and Phú Văn into Phú Nghĩa, Đăk Ơ (idempotent)",
        )

    # The demo is written for every commune at once (bmp_comms.scoping).
    @unscoped()
    def handle(self, *args, **options):
        try:
            summary = seed_demo(password=settings.DEMO_PASSWORD)
        except ValidationError as exc:
            # Typically a DEMO_PASSWORD that the password validators refuse.
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"demo": exc.messages}
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items())
            raise CommandError(f"The demo could not be written ({problems}).") from exc
        users = ", ".join(summary.users_created) or "none"
        self.stdout.write(
            f"Demo of Bù Gia Mập: {summary.communes} communes, {summary.villages} villages, "
            f"{summary.groups} news groups.\n"
            f"Created now: {summary.member_counts_created} member counts, "
            f"{summary.bluzone_counts_created} Bluzone counts; users: {users}."
        )
        if options.get("reform"):
            reform = demo_reform()
            merged = "; ".join(reform.merged) or "already applied"
            self.stdout.write(f"Reform of 1 July 2025: Đồng Nai province; mergers: {merged}.")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo users: chutich, vhtt, xa-<commune>, ct-<commune> (password DEMO_PASSWORD)."
            )
        )
