"""The in-app reminders delivered before the notifications app held the bell become its notices:
one per in-app delivery, of the reminder's kind, event `reminder:<id>`, with the delivery's time
and read state kept, in the app only (their emails went, or go, by the reminders' own outbox).
Copying again adds nothing (one notice per recipient and event), so going back leaves them."""

from django.db import migrations

BATCH = 2000


def copy_in_app_reminders(apps, schema_editor):
    # The words and links of today's reminders (plain functions of plain values), so a copied
    # reminder reads as a new one does.
    from deadlines.notices import reminder_context, reminder_event, reminder_url
    from notifications.messages import notice_words

    ReminderDelivery = apps.get_model("deadlines", "ReminderDelivery")
    Notification = apps.get_model("notifications", "Notification")
    deliveries = (
        ReminderDelivery.objects.filter(channel="in_app")
        .order_by("pk")
        .values_list(
            "recipient_id",
            "created_at",
            "read_at",
            "reminder_id",
            "reminder__kind",
            "reminder__day",
            "reminder__deadline_id",
            "reminder__deadline__title",
            "reminder__deadline__directive",
            "reminder__deadline__due_date",
            "reminder__commune__name",
        )
    )
    said = {}
    batch = []
    for (
        user_id,
        created_at,
        read_at,
        reminder_id,
        kind,
        day,
        deadline_id,
        title,
        directive,
        due_date,
        commune,
    ) in deliveries.iterator(chunk_size=BATCH):
        if reminder_id not in said:
            context = reminder_context(
                title=title, directive=directive, due_date=due_date, commune=commune, day=day
            )
            said[reminder_id] = (context, notice_words(kind=kind, context=context))
        context, words = said[reminder_id]
        batch.append(
            Notification(
                user_id=user_id,
                kind=kind,
                event=reminder_event(reminder_id),
                subject=words.subject,
                text=words.text,
                url=reminder_url(kind=kind, deadline_id=deadline_id),
                context=context,
                created_at=created_at,
                read_at=read_at,
                email_status="none",
            )
        )
        if len(batch) >= BATCH:
            Notification.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Notification.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0001_initial"),
        ("notifications", "0002_email_outbox_and_context"),
    ]

    operations = [
        migrations.RunPython(copy_in_app_reminders, migrations.RunPython.noop, elidable=True),
    ]
