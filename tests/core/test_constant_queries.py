"""Every page and every API read costs the same number of queries whatever the district's size:
3 communes of 1 village of 1 group, and 30 communes of 4 villages of 3 groups, with more
counts, bulletins, deliveries, deadlines, reminders, logins and reports (tests/core/scale.py).

One district is built per shape for the whole module (in a transaction rolled back at the
end), and each row of the tables reads one URL as one member of the cast: the district staff
for the district's pages, the officer (or leader) of commune A for their own commune's, an
administrator for the admin site. Pages sign in with a session; the API is called with a token.
"""

from __future__ import annotations

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from bmp_comms.percent import percent
from bulletins.models import Delivery, DeliveryStatus
from deadlines.models import Submission
from reports.models import ComplianceReport
from tests.core.scale import LARGE, NOW, SMALL, build_world

D = "date=2021-08-10"


@pytest.fixture(scope="module", params=[SMALL, LARGE], ids=lambda shape: shape.label)
def world(request, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        with transaction.atomic():
            built = build_world(request.param)
            files = [
                *Submission.objects.exclude(attachment="").values_list("attachment", flat=True),
                *ComplianceReport.objects.exclude(file="").values_list("file", flat=True),
            ]
            # Content types are cached for the process: read them once, whichever row runs
            # first, so that no row pays for the others.
            ContentType.objects.get_for_models(*admin.site._registry)
            yield built
            transaction.set_rollback(True)
        for name in files:
            default_storage.delete(name)


@pytest.fixture
def client_as(world, db):
    """`client_as(role, api=…)` → a client signed in as that member of the cast beforehand
    (outside the counted block): a session for pages, a token for the API."""

    def make(role: str | None, *, api: bool = False):
        if role is None:
            return APIClient() if api else Client()
        if api:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {world.token(role)}")
        else:
            client = Client()
            client.force_login(world.users[role])
        return client

    return make


# (role, url, status, queries): what the queries are, in the comment above each row.
# "session, user" are the session's row and its user; "profile" the user's role and scope; "bell"
# the unread notifications of the navigation bar; "menu" a commune user's commune (menu links).
PAGES = [
    # the deployment's top unit, which the login page names by its kind (the admin's: nothing)
    (None, "/accounts/login/", 200, 1),
    (None, "/admin/login/", 200, 0),
    # session, user, profile: a district user is sent to the dashboard
    ("staff", "/", 302, 3),
    # session, user, profile, menu: a commune user is sent to their commune's page
    ("officer", "/", 302, 4),
    # The dashboard area (dashboard/) has its own query-count tests: its rows are theirs.
    # session, user, profile, the table's sums (one statement), whether any commune has an
    # open deadline, the bulletins published with their deliveries (posting cadence and
    # proof), the deadlines panel (deadlines with their counts, their first missing communes),
    # the open deadlines of the rows shown, the series (the snapshots' sums; the missing
    # points computed from the counts), bell
    ("staff", f"/dashboard/?{D}", 200, 12),
    # session, user, profile, menu: a commune user is sent to their commune's page
    ("officer", f"/dashboard/?{D}", 302, 4),
    # session, user, profile, the table's sums, the open deadlines of every commune, the
    # bulletins published with their deliveries
    ("staff", f"/dashboard/export.csv?{D}", 200, 6),
    ("staff", f"/dashboard/export.xlsx?{D}", 200, 6),
    # session, user, profile, the commune with its district, its groups with their figures, their
    # rows, its village rows, the commune's sums, its bulletins published with their deliveries,
    # the series (the snapshots' sums; the missing points computed), its latest bulletins, the
    # communes it absorbed, bell
    ("staff", f"/communes/{{code}}/?{D}", 200, 14),
    # the same, and menu
    ("officer", f"/communes/{{code}}/?{D}", 200, 15),
    # (end of the dashboard area's rows)
    # session, user, profile, bell
    ("staff", "/communes/new/", 200, 4),
    # session, user, profile, the commune, bell
    ("staff", "/communes/{code}/villages/new/", 200, 5),
    # session, user, profile, the commune, menu, bell
    ("officer", "/communes/{code}/villages/new/", 200, 6),
    # session, user, profile, the village with its commune, menu, bell
    ("officer", "/villages/{village}/edit/", 200, 6),
    # session, user, profile, the village with its commune, its five latest counts, menu, bell
    ("officer", "/villages/{village}/bluzone-counts/new/", 200, 7),
    # session, user, profile, the commune, bell, the officers with their commune and login,
    # their assignments, those fields
    ("staff", "/communes/{code}/officers/", 200, 8),
    # session, user, profile, the commune, menu, bell, the officers with their commune and login,
    # their assignments, those fields
    ("officer", "/communes/{code}/officers/", 200, 9),
    # session, user, profile, the commune, menu, bell, the fields to choose from
    ("officer", "/communes/{code}/officers/new/", 200, 7),
    # session, user, profile, the officer with their commune, their fields, menu, bell, the
    # fields to choose from
    ("officer", "/officers/{officer}/edit/", 200, 8),
    # session, user, profile, bell, the district's logins with profile and commune
    ("staff", "/users/", 200, 5),
    # session, user, profile, bell, the communes to choose from
    ("staff", "/users/new/", 200, 6),
    # session, user, profile, the commune, bell
    ("staff", "/communes/{code}/import/villages/", 200, 5),
    # session, user, profile, the commune, menu, bell
    ("officer", "/communes/{code}/import/member-counts/", 200, 6),
    # session, user: a file, no page around it
    ("officer", "/import/templates/villages.csv", 200, 2),
    ("officer", "/import/templates/member-counts.xlsx", 200, 2),
    # session, user, profile, bell, the villages to choose from with their commune
    ("staff", "/groups/new/", 200, 5),
    # session, user, profile, menu, bell, the villages to choose from with their commune
    ("officer", "/groups/new/", 200, 6),
    # session, user, profile, the village asked for, its commune (back link), menu, bell, the
    # villages to choose from with their commune
    ("officer", "/groups/new/?village={village}", 200, 8),
    # session, user, profile, the group with its village and commune, bell, the villages to
    # choose from
    ("staff", "/groups/{group}/edit/", 200, 6),
    # the same, and menu
    ("officer", "/groups/{group}/edit/", 200, 7),
    # session, user, profile, the group with its village and commune, its five latest counts,
    # menu, bell
    ("officer", "/groups/{group}/member-counts/new/", 200, 7),
    # session, user, profile, the count for the page, bell, the page of bulletins with commune,
    # field, author and the deliveries awaiting, their villages
    ("staff", "/bulletins/", 200, 7),
    # the same, and menu
    ("officer", "/bulletins/", 200, 8),
    ("officer", "/bulletins/?status=published", 200, 8),
    # session, user, profile, menu, the fields, bell, the villages to target
    ("officer", "/bulletins/new/", 200, 7),
    # session, user, profile, the bulletin with commune, field and author, its villages, its
    # audit with actors, its deliveries with group, village and confirmer, the responsible
    # officer, bell
    ("staff", "/bulletins/{bulletin}/", 200, 9),
    # the same, and menu
    ("officer", "/bulletins/{bulletin}/", 200, 10),
    # session, user, profile, the bulletin with its commune, its villages, the fields, menu, the
    # earlier bulletins it may repeat, bell, the villages to target
    ("officer", "/bulletins/{draft}/edit/", 200, 10),
    # session, user, profile, menu, bell, the bulletins waiting with commune, field, author and
    # deliveries awaiting, their villages
    ("leader", "/bulletins/review/", 200, 7),
    # session, user, profile, the commune, its channels, bell
    ("staff", "/communes/{code}/channels/", 200, 6),
    # the same, and menu
    ("leader", "/communes/{code}/channels/", 200, 7),
    # session, user, profile, the commune, its assignments with officers, its officers, the
    # fields (names), the fields (rows), the latest reassignments with who made them, bell
    ("staff", "/communes/{code}/fields/", 200, 10),
    # the same, and menu
    ("officer", "/communes/{code}/fields/", 200, 11),
    # session, user, profile, the assignment with commune and field, its officer, menu, bell,
    # the officers to choose from
    ("leader", "/field-assignments/{assignment}/edit/", 200, 8),
    # session, user, profile, the deadlines, their figures, their missing communes, bell
    ("staff", f"/deadlines/?{D}", 200, 7),
    # the same, counted over their commune, and menu
    ("officer", f"/deadlines/?{D}", 200, 8),
    # session, user, profile, the communes (all covered at first), bell, the communes to choose
    # from
    ("staff", "/deadlines/new/", 200, 6),
    # session, user, profile, the deadline with its inspection and commune, the deadline again
    # (figures' scope), its figures, its missing communes, the names of the communes covered,
    # the page's submissions with their deadline and submitter, bell
    ("staff", f"/deadlines/{{deadline}}/?{D}", 200, 10),
    # the same, searched and filtered
    ("staff", f"/deadlines/{{deadline}}/?{D}&state=missing&q=a", 200, 10),
    # the same, within their commune, and menu
    ("officer", f"/deadlines/{{deadline}}/?{D}", 200, 11),
    # a follow-up of an inspection: the same as any deadline
    ("staff", f"/deadlines/{{follow_up}}/?{D}", 200, 10),
    # session, user, profile, the deadline in scope, menu (their commune), their submission,
    # bell
    ("officer", "/deadlines/{deadline}/submit/", 200, 7),
    ("officer", "/deadlines/{submitted_deadline}/submit/", 200, 7),
    # session, user, profile, the submission in scope: a file
    ("staff", "/submissions/{submission}/attachment/", 200, 4),
    # session, user, profile, the count for the page, the reminders with deadline and commune,
    # their deliveries with recipient and digest, bell
    ("staff", "/reminders/", 200, 7),
    # the same, and menu
    ("officer", "/reminders/", 200, 8),
    # session, user, profile, the count for the page, the page of notices (every kind), the
    # unread ones (which the bell shows too, without counting them again)
    ("staff", "/notifications/", 200, 6),
    # the same, and menu
    ("officer", "/notifications/", 200, 7),
    ("officer", "/notifications/?unread=1", 200, 7),
    # session, user, the unread count: the bell alone, which every open page polls (app.js)
    ("staff", "/notifications/bell/", 200, 3),
    ("officer", "/notifications/bell/", 200, 3),
    # session, user, profile, the count for the page, bell, the inspections with commune and
    # follow-up deadline
    ("staff", "/inspections/", 200, 6),
    # the same, and menu
    ("officer", "/inspections/", 200, 7),
    # session, user, profile, bell, the communes to choose from
    ("staff", "/inspections/new/", 200, 5),
    # session, user, profile, the count for the page, bell, the communes of the form, the page
    # of reports with commune and requester
    ("staff", "/reports/", 200, 7),
    # session, user, profile, the count for the page, menu, bell, their commune as the form's
    # one fixed choice (read twice by Django's select: whether it may be required, its options),
    # the page of reports
    ("officer", "/reports/", 200, 9),
    # the staff's archive, and the report asked for with commune and requester
    ("staff", "/reports/?report={report}", 200, 8),
    # session, user, profile with its top unit, the letterhead, bell
    ("staff", "/reports/letterhead/", 200, 5),
    # session, user, profile, the report with commune and requester: a partial, no bell
    ("staff", "/reports/{pending_report}/progress/", 200, 4),
    ("staff", "/reports/{report}/progress/?panel=1", 200, 4),
    # session, user, profile, the report in scope: a file
    ("officer", "/reports/{report}/download/", 200, 4),
    # session, user, profile (the schema's permission): the API's description and its page
    ("staff", "/api/schema/", 200, 3),
    ("staff", "/api/docs/", 200, 3),
]

API = [
    # (the dashboard area's row) token with its user, profile, the table's sums, the open
    # deadlines of every commune, the bulletins published with their deliveries, the deadlines
    # (with their counts, their missing communes)
    ("staff", f"/api/v1/dashboard/?{D}", 200, 7),
    ("officer", f"/api/v1/dashboard/?{D}", 200, 7),
    # token with its user, profile, the count, the page with districts, their figures (one
    # statement)
    ("staff", "/api/v1/communes/", 200, 5),
    ("officer", "/api/v1/communes/", 200, 5),
    # token with its user, profile, the commune with its district, its figures
    ("staff", "/api/v1/communes/{commune}/", 200, 4),
    # token with its user, profile, the count, the page
    ("staff", "/api/v1/villages/", 200, 4),
    ("officer", "/api/v1/villages/", 200, 4),
    # token with its user, profile, the village
    ("staff", "/api/v1/villages/{village}/", 200, 3),
    # token with its user, profile, the village in scope, the count, the page
    ("staff", "/api/v1/villages/{village}/bluzone-counts/", 200, 5),
    # token with its user, profile, the village in scope, the count of that date
    ("staff", "/api/v1/villages/{village}/bluzone-counts/{count_date}/", 200, 4),
    # token with its user, profile, the count, the page, their assignments
    ("staff", "/api/v1/officers/", 200, 5),
    ("officer", "/api/v1/officers/", 200, 5),
    # token with its user, profile, the officer, their assignments
    ("staff", "/api/v1/officers/{officer}/", 200, 4),
    # token with its user, profile, the count, the page with profile and officer, the officers'
    # assignments
    ("staff", "/api/v1/users/", 200, 5),
    # token with its user, profile, the login with profile and officer, its assignments
    ("staff", "/api/v1/users/{login}/", 200, 4),
    # token with its user, profile, the count, the page
    ("staff", "/api/v1/fields/", 200, 4),
    # token with its user, profile, the field
    ("staff", "/api/v1/fields/{field}/", 200, 3),
    # token with its user, profile, the count, the page
    ("staff", "/api/v1/field-assignments/", 200, 4),
    ("officer", "/api/v1/field-assignments/", 200, 4),
    # token with its user, profile, the assignment
    ("staff", "/api/v1/field-assignments/{assignment}/", 200, 3),
    # token with its user, profile, the count, the page
    ("staff", "/api/v1/groups/", 200, 4),
    ("officer", "/api/v1/groups/", 200, 4),
    # token with its user, profile, the group
    ("staff", "/api/v1/groups/{group}/", 200, 3),
    # token with its user, profile, the group in scope, the count, the page
    ("staff", "/api/v1/groups/{group}/member-counts/", 200, 5),
    # token with its user, profile, the group in scope, the count of that date
    ("staff", "/api/v1/groups/{group}/member-counts/{count_date}/", 200, 4),
    # token with its user, profile, the count, the page with field, their villages
    ("staff", "/api/v1/bulletins/", 200, 5),
    ("officer", "/api/v1/bulletins/", 200, 5),
    # token with its user, profile, the bulletin with field, its villages
    ("staff", "/api/v1/bulletins/{bulletin}/", 200, 4),
    # token with its user, profile, the bulletin with field, its villages, the count, the page
    # of its deliveries
    ("officer", "/api/v1/bulletins/{bulletin}/deliveries/", 200, 6),
    # token with its user, profile, the count, the page
    ("staff", "/api/v1/deliveries/", 200, 4),
    ("officer", "/api/v1/deliveries/", 200, 4),
    # token with its user, profile, the delivery
    ("staff", "/api/v1/deliveries/{delivery}/", 200, 3),
    # token with its user, profile, the count, the page
    ("staff", "/api/v1/channels/", 200, 4),
    ("leader", "/api/v1/channels/", 200, 4),
    # token with its user, profile, the channel, its commune (permission)
    ("staff", "/api/v1/channels/{channel}/", 200, 4),
    # token with its user, profile, the count, the page, their communes, their figures, their
    # missing communes
    ("staff", f"/api/v1/deadlines/?{D}", 200, 7),
    ("officer", f"/api/v1/deadlines/?{D}", 200, 7),
    # token with its user, profile, the deadline, its communes, its figures, its missing
    # communes
    ("staff", f"/api/v1/deadlines/{{deadline}}/?{D}", 200, 6),
    # token with its user, profile, the deadline in scope, the count, the page with commune and
    # deadline
    ("staff", "/api/v1/deadlines/{deadline}/submissions/", 200, 5),
    ("officer", "/api/v1/deadlines/{submitted_deadline}/submissions/", 200, 5),
    # token with its user, profile, the submission in scope: a file
    ("officer", "/api/v1/submissions/{submission}/attachment/", 200, 3),
    # token with its user, profile, the count, the page with deadline and commune, their
    # deliveries with recipient and digest
    ("staff", "/api/v1/reminders/", 200, 5),
    ("officer", "/api/v1/reminders/", 200, 5),
    # token with its user, profile, the reminder with deadline and commune, its deliveries
    ("staff", "/api/v1/reminders/{reminder}/", 200, 4),
    # token with its user, profile, the count, the page with commune and follow-up deadline
    ("staff", "/api/v1/inspections/", 200, 4),
    ("officer", "/api/v1/inspections/", 200, 4),
    # token with its user, profile, the inspection with commune and follow-up deadline
    ("staff", "/api/v1/inspections/{inspection}/", 200, 3),
    # token with its user, profile, the count, the page of notices
    ("staff", "/api/v1/notifications/", 200, 4),
    ("officer", "/api/v1/notifications/", 200, 4),
    ("officer", "/api/v1/notifications/?unread=1", 200, 4),
    # token with its user, profile, the count
    ("officer", "/api/v1/notifications/unread-count/", 200, 3),
    # token with its user, profile, the count, the page
    ("staff", "/api/v1/reports/", 200, 4),
    ("officer", "/api/v1/reports/", 200, 4),
    # token with its user, profile, the report
    ("staff", "/api/v1/reports/{report}/", 200, 3),
    # token with its user, profile, the report in scope: a file
    ("officer", "/api/v1/reports/{report}/download/", 200, 3),
]


# The admin site, for an administrator (a login without a role): (model, view, queries). Every
# page: session, user, profile (none: looked for once by the navigation). A list: the count of
# the rows matched and of all rows, the page of rows with what the columns show; a filter or a
# date hierarchy adds its own query. A change page: the row, and each choice list or raw id's
# label it draws.
ADMIN = [
    # count ×2, the page with the user
    ("bmp_comms.knownloginaddress", "changelist", 6),
    # count ×2, the page
    ("communes.district", "changelist", 6),
    # the row
    ("communes.district", "change", 4),
    # the districts (filter), count ×2, the page with the district
    ("communes.commune", "changelist", 7),
    # the row, the districts to choose from, the communes it may have merged into
    ("communes.commune", "change", 6),
    # the communes (filter), count ×2, the page with the commune
    ("communes.village", "changelist", 7),
    # the row, the communes to choose from
    ("communes.village", "change", 5),
    # the communes (filter), count ×2, the page with the village, the first and last dates
    # (date hierarchy)
    ("communes.bluzonecount", "changelist", 9),
    # the row, its village (the title), the villages with their commune to choose from, who
    # recorded it (raw id)
    ("communes.bluzonecount", "change", 7),
    # the communes (filter), count ×2, the page with commune and login
    ("communes.officer", "changelist", 7),
    # the row, the communes and the logins to choose from
    ("communes.officer", "change", 6),
    # the communes (filter), count ×2, the page with login, district and commune
    ("communes.userprofile", "changelist", 7),
    # the row, its login (the title), the logins, the district's profile, the districts and the
    # communes to choose from
    ("communes.userprofile", "change", 8),
    # count ×2, the page
    ("communes.field", "changelist", 6),
    # the row
    ("communes.field", "change", 4),
    # the communes and the fields (filters), count ×2, the page with commune, field and officer
    ("communes.fieldassignment", "changelist", 8),
    # the row, its officer (the title), the communes, the fields, the officers with their
    # commune to choose from
    ("communes.fieldassignment", "change", 8),
    # the communes (filter), count ×2, the page with the village
    ("groups.messaginggroup", "changelist", 7),
    # the row, the villages with their commune and the logins to choose from
    ("groups.messaginggroup", "change", 6),
    # the communes (filter), count ×2, the page with the group, the first and last dates
    ("groups.membercount", "changelist", 9),
    # the row, its group (the title), the groups with their village to choose from, who
    # recorded it
    ("groups.membercount", "change", 7),
    # the districts (filter), count ×2, the page with the district, the first and last dates
    ("deadlines.deadline", "changelist", 9),
    # the row, its communes, the districts, the communes, the inspections with their commune
    # and the logins to choose from
    ("deadlines.deadline", "change", 9),
    # the deadlines (filter), count ×2, the page with deadline, commune and submitter
    ("deadlines.submission", "changelist", 7),
    # the row, its commune and deadline (the title), the deadlines and the communes to choose
    # from, the submitter (raw id)
    ("deadlines.submission", "change", 9),
    # count ×2, the page with deadline (and its district) and commune
    ("deadlines.reminder", "changelist", 6),
    # the row, its deliveries with reminder, deadline, commune, recipient and digest, its
    # deadline and commune (the title), the deadlines and the communes to choose from
    ("deadlines.reminder", "change", 9),
    # count ×2, the page with the recipient
    ("deadlines.escalationdigest", "changelist", 6),
    # the row, its recipient (the title), the recipient (raw id)
    ("deadlines.escalationdigest", "change", 6),
    # the communes (filter), count ×2, the page with commune (and its district)
    ("deadlines.inspection", "changelist", 7),
    # count ×2, the page with the recipient
    ("notifications.notification", "changelist", 6),
    # the row, its recipient (the title), the recipient (raw id)
    ("notifications.notification", "change", 6),
    # the row, its commune (the title), the communes and the logins to choose from
    ("deadlines.inspection", "change", 7),
]


def _rows(table):
    return [pytest.param(*row, id=f"{row[0]} {row[1]}") for row in table]


@pytest.mark.parametrize(("role", "url", "status", "queries"), _rows(PAGES))
def test_page_queries_do_not_grow(
    world, client_as, django_assert_num_queries, role, url, status, queries
):
    client = client_as(role)
    url = url.format(**world.ids)
    with django_assert_num_queries(queries):  # listed in the comment above the row
        response = client.get(url)
    assert response.status_code == status


@pytest.mark.parametrize(("role", "url", "status", "queries"), _rows(API))
def test_api_queries_do_not_grow(
    world, client_as, django_assert_num_queries, role, url, status, queries
):
    client = client_as(role, api=True)
    url = url.format(**world.ids)
    with django_assert_num_queries(queries):  # listed in the comment above the row
        response = client.get(url)
    assert response.status_code == status


@pytest.mark.parametrize(
    ("model", "view", "queries"),
    [pytest.param(*row, id=f"{row[0]} {row[1]}") for row in ADMIN],
)
def test_admin_queries_do_not_grow(
    world, client_as, django_assert_num_queries, model, view, queries
):
    model = apps.get_model(model)
    meta = model._meta
    args = [model._default_manager.order_by("pk").first().pk] if view == "change" else []
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)
    client = client_as("admin")
    with django_assert_num_queries(queries):  # listed in the comment above the row
        response = client.get(url)
    assert response.status_code == 200


# What the rows above read, counted by hand from tests/core/scale.py, so a count that holds
# is known to hold over a district that grew: (role, list, at 3x1x1, at 30x4x3).
SIZES = [
    ("staff", "/api/v1/communes/", 3, 30),
    # communes × villages
    ("staff", "/api/v1/villages/", 3, 120),
    # communes × villages × groups
    ("staff", "/api/v1/groups/", 3, 360),
    # communes × (published + a draft + one waiting)
    ("staff", "/api/v1/bulletins/", 3 * 3, 30 * 5),
    # communes × published × the commune's groups
    ("staff", "/api/v1/deliveries/", 3 * 1 * 1, 30 * 3 * 12),
    # one bulletin of commune A to each of its groups
    ("officer", "/api/v1/bulletins/{bulletin}/deliveries/", 1, 12),
    # the officers without a login (one per village), the logins, and the leader of A
    ("staff", "/api/v1/officers/", 3 * (1 + 1) + 1, 30 * (4 + 2) + 1),
    # staff, district leader, leader of A, the communes' logins (not the administrator: no
    # district)
    ("staff", "/api/v1/users/", 3 + 3, 3 + 30 * 2),
    ("staff", "/api/v1/groups/{group}/member-counts/", 1, 3),
    # every other commune, but commune A, submitted to the first (passed) deadline
    ("staff", "/api/v1/deadlines/{deadline}/submissions/", 1, 14),
    # the communes late on a passed deadline (2 of 3 on one; 16 of 30 on two), overdue and
    # escalated
    ("staff", "/api/v1/reminders/", 2 * 2, 2 * 16 * 2),
    ("officer", "/api/v1/reminders/", 2, 4),
    # the escalations, in the staff's bell
    ("staff", "/api/v1/notifications/", 2, 32),
    # commune A's overdue reminders, in its officer's app
    ("officer", "/api/v1/notifications/", 1, 2),
    ("staff", "/api/v1/inspections/", 3, 30),
    # the reports asked for and the one compiled
    ("staff", "/api/v1/reports/", 3, 13),
]


@pytest.mark.parametrize(
    ("role", "url", "small", "large"),
    [pytest.param(*row, id=f"{row[0]} {row[1]}") for row in SIZES],
)
def test_the_district_is_as_large_as_its_shape(world, client_as, role, url, small, large):
    expected = {SMALL.label: small, LARGE.label: large}[world.shape.label]
    response = client_as(role, api=True).get(url.format(**world.ids))
    assert response.json()["count"] == expected


def test_the_dashboard_proves_the_posting_at_any_size(world, client_as, django_assert_num_queries):
    """docs/rules.md#posting-proof: the deliveries are counted in the statement that counts the
    bulletins, so the dashboard's queries are those of its row above at either size."""
    client = client_as("staff", api=True)
    # token with its user, profile, the table's sums, the open deadlines of every commune, the
    # bulletins published with their deliveries, the deadlines (with their counts, their
    # missing communes)
    with django_assert_num_queries(7):
        body = client.get(f"/api/v1/dashboard/?{D}").json()
    shape = world.shape
    # every bulletin was published in the 9 days before D, to every group of its commune
    deliveries = shape.communes * shape.villages * shape.groups * shape.bulletins
    done = Delivery.objects.filter(
        bulletin__commune__district=world.district,
        status__in=(DeliveryStatus.SENT, DeliveryStatus.CONFIRMED),
    ).count()
    assert done > 0
    totals = body["totals"]
    assert (totals["deliveries_30d"], totals["deliveries_done_30d"]) == (deliveries, done)
    assert totals["posting_pct"] == float(percent(done, deliveries))
    assert sum(row["deliveries_30d"] for row in body["communes"]) == deliveries
