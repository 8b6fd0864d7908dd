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
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from reports.models import ComplianceReport, Submission
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

    def make(role: str, *, api: bool = False):
        if api:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {world.token(role)}")
        else:
            client = Client()
            client.force_login(world.users[role])
        return client

    return make


# (role, url, status, queries): the queries, in the order they run, in the comment above each row.
# "session, user" are the session's row and its user; "profile" the user's role and scope; "bell"
# the unread notifications of the navigation bar; "menu" a commune user's commune (menu links).
PAGES = [
    # session, user, profile: a district user is sent to the dashboard
    ("staff", "/", 302, 3),
    # session, user, profile, menu: a commune user is sent to their commune's page
    ("officer", "/", 302, 4),
    # The dashboard area (reports/dashboard) is being reworked in parallel: its rows are theirs.
    # session, user, profile, the table's sums (one statement), the open deadlines of every
    # commune, the bulletins published, the deadlines panel (deadlines with their counts, their
    # missing communes), the series (the snapshots' sums; the missing points computed from the
    # counts), bell
    ("staff", f"/dashboard/?{D}", 200, 11),
    # session, user, profile, menu: a commune user is sent to their commune's page
    ("officer", f"/dashboard/?{D}", 302, 4),
    # session, user, profile, the table's sums, the open deadlines of every commune, the
    # bulletins published
    ("staff", f"/dashboard/export.csv?{D}", 200, 6),
    ("staff", f"/dashboard/export.xlsx?{D}", 200, 6),
    # session, user, profile, the commune with its district, its groups with their figures, their
    # rows, its village rows, the commune's sums, its bulletins published, the series (the
    # snapshots' sums; the missing points computed), its latest bulletins, bell
    ("staff", f"/communes/{{code}}/?{D}", 200, 13),
    # the same, and menu
    ("officer", f"/communes/{{code}}/?{D}", 200, 14),
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
    # session, user, profile, the communes to choose from, bell, the inspections' communes
    ("staff", "/deadlines/new/", 200, 6),
    # session, user, profile, the deadline with its inspection and commune, the deadline again
    # (figures' scope), its figures, its missing communes, the submissions with commune,
    # deadline and submitter, the communes covered, bell
    ("staff", f"/deadlines/{{deadline}}/?{D}", 200, 10),
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
    # session, user, the count for the page, profile, the notifications with reminder, deadline
    # and commune, the unread ones, bell
    ("staff", "/notifications/", 200, 7),
    # the same, and menu
    ("officer", "/notifications/", 200, 8),
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
    # session, user, profile, the count for the page, menu, bell, their commune (the form's
    # choice), its name, the page of reports
    ("officer", "/reports/", 200, 9),
    # the staff's archive, and the report asked for with commune and requester
    ("staff", "/reports/?report={report}", 200, 8),
    # session, user, profile, the district, its letterhead, bell
    ("staff", "/reports/letterhead/", 200, 6),
    # session, user, profile, the report with commune and requester: a partial, no bell
    ("staff", "/reports/{pending_report}/progress/", 200, 4),
    ("staff", "/reports/{report}/progress/?panel=1", 200, 4),
    # session, user, profile, the report in scope: a file
    ("officer", "/reports/{report}/download/", 200, 4),
]

API = [
    # (the dashboard area's row) token with its user, profile, the table's sums, the open
    # deadlines of every commune, the bulletins published, the deadlines (with their counts,
    # their missing communes)
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
    # token with its user, profile, the count, the page with reminder, deadline and commune
    ("staff", "/api/v1/notifications/", 200, 4),
    ("officer", "/api/v1/notifications/", 200, 4),
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
