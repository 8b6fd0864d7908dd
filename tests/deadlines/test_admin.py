"""The reports' admin pages read their rows in a fixed number of queries and show what Django's
own admin shows."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.urls import reverse

from communes.models import Role
from deadlines.models import (
    Deadline,
    EscalationDigest,
    Reminder,
    ReminderDelivery,
    ReminderDeliveryChannel,
    Submission,
)
from deadlines.schedule import ReminderKind
from deadlines.services import inspection_record
from tests.factories import CommuneFactory, DeadlineFactory, SubmissionFactory, make_user

DAY = datetime.date(2021, 8, 9)


def stock_label(model, field: str, value) -> str:
    """The raw id's label as Django's own widget draws it."""
    rel = model._meta.get_field(field).remote_field
    label, url = ForeignKeyRawIdWidget(rel, admin.site).label_and_url_for_value(value)
    return f'<strong><a href="{url}">{label}</a></strong>'


def escalation(deadline, commune, recipients) -> Reminder:
    """An escalation delivered in the app to each of `recipients`, each in their digest."""
    reminder = Reminder.objects.create(
        deadline=deadline, commune=commune, kind=ReminderKind.ESCALATION, day=DAY
    )
    for user in recipients:
        digest = EscalationDigest.objects.create(recipient=user, day=DAY)
        ReminderDelivery.objects.create(
            reminder=reminder, channel=ReminderDeliveryChannel.IN_APP, recipient=user, digest=digest
        )
    return reminder


@pytest.mark.parametrize("recipients", [1, 6])
def test_a_reminders_deliveries_cost_the_same_whatever_their_number(
    admin_client, district, commune_a, recipients, django_assert_num_queries
):
    deadline = DeadlineFactory(district=district, communes=[commune_a])
    users = [make_user(Role.DISTRICT_STAFF, district=district) for _ in range(recipients)]
    reminder = escalation(deadline, commune_a, users)
    url = reverse("admin:deadlines_reminder_change", args=[reminder.pk])
    admin_client.get(url)  # the content types, cached for the process

    # session, user, the reminder, its deliveries with reminder, deadline, commune, recipient
    # and digest, its deadline and commune (the title), profile (none: an administrator), the
    # deadlines and the communes to choose from
    with django_assert_num_queries(9):
        response = admin_client.get(url)

    page = response.content.decode()
    for delivery in ReminderDelivery.objects.filter(reminder=reminder):
        assert stock_label(ReminderDelivery, "recipient", delivery.recipient_id) in page
        assert stock_label(ReminderDelivery, "digest", delivery.digest_id) in page
    assert page.count('<strong><a href="/admin/auth/user/') == recipients


@pytest.mark.parametrize("communes", [3, 30])
def test_a_deadlines_inspections_are_named_in_one_query(
    admin_client, district, district_staff, communes, django_assert_num_queries
):
    inspected = CommuneFactory.create_batch(communes, district=district)
    for commune in inspected:
        inspection_record(
            actor=district_staff,
            commune=commune,
            date=datetime.date(2021, 8, 2),
            inspector="Trần Thị Thu Hà",
            findings="Hai thôn chưa có nhóm tin.",
        )
    deadline = DeadlineFactory(district=district, communes=inspected)
    url = reverse("admin:deadlines_deadline_change", args=[deadline.pk])
    admin_client.get(url)

    # session, user, the deadline, its communes, profile (none), the districts, the communes,
    # the inspections with their commune and the logins to choose from
    with django_assert_num_queries(9):
        response = admin_client.get(url)

    page = response.content.decode()
    assert all(f">{commune.name} (02/08/2021)</option>" in page for commune in inspected)
    assert not Deadline.objects.exclude(pk=deadline.pk).exists()


@pytest.mark.parametrize("communes", [3, 30])
def test_the_submissions_list_names_their_submitters_in_one_query(
    admin_client, district, communes, django_assert_num_queries
):
    deadline = DeadlineFactory(district=district)
    for commune in CommuneFactory.create_batch(communes, district=district):
        officer = make_user(Role.COMMUNE_OFFICER, commune=commune)
        SubmissionFactory(deadline=deadline, commune=commune, submitted_by=officer)
    url = reverse("admin:deadlines_submission_changelist")
    admin_client.get(url)

    # session, user, the deadlines (filter), the count of the rows matched and of all rows,
    # the page with deadline, commune and submitter, profile (none)
    with django_assert_num_queries(7):
        response = admin_client.get(url)

    page = response.content.decode()
    submitters = Submission.objects.values_list("submitted_by__username", flat=True)
    assert len(submitters) == communes
    assert all(f'field-submitted_by nowrap">{name}</td>' in page for name in submitters)
