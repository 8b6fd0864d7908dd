"""When a deadline's reminders are due (docs/rules.md#reminder-schedule) and how the days left
to a due date read: "3 days left", "due today", "4 days overdue"."""

from __future__ import annotations

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


def when_text(days_left: int) -> str:
    """ "3 days left", "due today" or "4 days overdue"."""
    if days_left > 0:
        text = ngettext("%(days)s day left", "%(days)s days left", days_left)
        return text % {"days": number_format(days_left)}
    if days_left == 0:
        return gettext("due today")
    overdue = -days_left
    text = ngettext("%(days)s day overdue", "%(days)s days overdue", overdue)
    return text % {"days": number_format(overdue)}


class ReminderKind(models.TextChoices):
    BEFORE_7 = "before_7", _("7 days before")
    BEFORE_3 = "before_3", _("3 days before")
    BEFORE_1 = "before_1", _("1 day before")
    DUE = "due", _("due today")
    OVERDUE = "overdue", _("overdue")
    ESCALATION = "escalation", _("escalation to the district")


BEFORE_KINDS = {7: ReminderKind.BEFORE_7, 3: ReminderKind.BEFORE_3, 1: ReminderKind.BEFORE_1}
# docs/rules.md#reminder-schedule: `overdue` each day up to D+7, then every 7th day up to D+91,
# and the district staff told too from D+3 on. A commune that has ignored thirteen weeks of
# reminders is a matter for an inspection, not for more messages.
OVERDUE_DAILY_UNTIL = 7
OVERDUE_EVERY = 7
OVERDUE_UNTIL = 91
ESCALATE_AFTER_DAYS_OVERDUE = 3
OVERDUE_DAYS = tuple(
    days
    for days in range(1, OVERDUE_UNTIL + 1)
    if days <= OVERDUE_DAILY_UNTIL or days % OVERDUE_EVERY == 0
)


def reminder_kinds_for(days_left: int) -> list[str]:
    """The kinds of reminder due `days_left` days before the due date (negative once overdue)."""
    if days_left in BEFORE_KINDS:
        return [BEFORE_KINDS[days_left]]
    if days_left == 0:
        return [ReminderKind.DUE]
    if -days_left in OVERDUE_DAYS:
        kinds = [ReminderKind.OVERDUE]
        if -days_left >= ESCALATE_AFTER_DAYS_OVERDUE:
            kinds.append(ReminderKind.ESCALATION)
        return kinds
    return []


def reminded_days_left() -> tuple[int, ...]:
    """Every `days_left` on which some reminder is due: the job picks deadlines by these alone."""
    return (*BEFORE_KINDS, 0, *(-days for days in OVERDUE_DAYS))
