"""The admin reads numbers and dates as the pages do (docs/rules.md#typed-input): `1.000` is a
thousand in Vietnamese (Django's own field saved 1), `1.00` is refused, and a day is
dd/mm/yyyy in English too (Django's English formats read 07/12/2026 as 12 July)."""

import datetime

import pytest
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from bmp_comms import typed
from bmp_comms.admin_site import TypedInputs
from communes.models import District, Village
from deadlines.models import Inspection

OUR_APPS = {"bmp_comms", "communes", "groups", "deadlines", "bulletins", "reports", "dashboard"}
HOWTO_VI = "Viết số như 1.000 hoặc 21.814 (mỗi nhóm ba chữ số) hoặc 21814, không có phần thập phân."

pytestmark = pytest.mark.django_db


def admin_forms(request):
    """(name, form class) of every admin page and inline of our models."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        assert isinstance(model_admin, TypedInputs), model
        yield model.__name__, model, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            assert isinstance(inline, TypedInputs), inline
            yield inline.model.__name__, inline.model, inline.get_formset(request).form


def test_every_number_and_day_of_our_models_is_typed_in_the_admin(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    checked = []
    for name, model, form in admin_forms(request):
        for field_name, form_field in form.base_fields.items():
            model_field = model._meta.get_field(field_name)
            if model_field.choices:
                continue
            if isinstance(model_field, models.IntegerField):
                assert isinstance(form_field, typed.IntegerField), (name, field_name)
                checked.append(f"{name}.{field_name}")
            elif isinstance(model_field, models.DateField) and not isinstance(
                model_field, models.DateTimeField
            ):
                assert isinstance(form_field, typed.DayField), (name, field_name)
                checked.append(f"{name}.{field_name}")
    # Among them the ones people type: sizes, counts, targets and the days of deadlines.
    for expected in [
        "Village.households",
        "Village.smartphone_users",
        "MemberCount.members",
        "BluzoneCount.installs",
        "District.bluzone_target_pct",
        "Commune.bluzone_target_pct",
        "Deadline.due_date",
        "Deadline.closed_on",
        "Inspection.follow_up_due",
        "MessagingGroup.established_on",
    ]:
        assert expected in checked


def village_data(village, **changes):
    return {
        "commune": village.commune_id,
        "name": village.name,
        "kind": "thon",
        "households": "300",
        "residents": "800",
        "smartphone_users": "400",
        **changes,
    }


def test_a_village_in_the_admin_takes_1_000_as_a_thousand(admin_client, village_a):
    url = reverse("admin:communes_village_change", args=[village_a.pk])
    Village.objects.filter(pk=village_a.pk).update(residents=21814)

    page = admin_client.get(url).content.decode()
    assert 'name="residents" value="21.814"' in page

    refused = admin_client.post(url, village_data(village_a, households="1.00"))
    assert refused.status_code == 200  # the admin's own way: the form again, with its errors
    assert refused.context["adminform"].form.errors["households"] == [HOWTO_VI]
    village_a.refresh_from_db()
    assert village_a.households == 300

    saved = admin_client.post(url, village_data(village_a, households="1.000", residents="21.814"))
    assert saved.status_code == 302
    village_a.refresh_from_db()
    assert (village_a.households, village_a.residents) == (1000, 21814)


def test_a_target_in_the_admin_refuses_a_misplaced_separator(admin_client, district):
    url = reverse("admin:communes_district_change", args=[district.pk])
    data = {"code": district.code, "name": district.name, "bluzone_target_pct": "6.0"}

    refused = admin_client.post(url, data)

    assert refused.context["adminform"].form.errors["bluzone_target_pct"] == [HOWTO_VI]
    assert District.objects.get().bluzone_target_pct == 50


def test_an_inspection_in_the_english_admin_is_dated_dd_mm_yyyy(admin_client, commune_a):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = {
        "commune": commune_a.pk,
        "date": "07/12/2025",
        "inspector": "Trần Thị Thu Hà",
        "findings": "Nhóm tin hoạt động đều.",
        "follow_up_due": "12/31/2025",
    }
    url = reverse("admin:deadlines_inspection_add")

    refused = admin_client.post(url, data)
    assert refused.context["adminform"].form.errors["follow_up_due"] == [
        "Enter a date as dd/mm/yyyy."
    ]
    assert not Inspection.objects.exists()

    assert admin_client.post(url, {**data, "follow_up_due": "02/01/2026"}).status_code == 302
    inspection = Inspection.objects.get()
    assert (inspection.date, inspection.follow_up_due) == (
        datetime.date(2025, 12, 7),
        datetime.date(2026, 1, 2),
    )
    page = admin_client.get(reverse("admin:deadlines_inspection_change", args=[inspection.pk]))
    assert 'name="date" value="07/12/2025"' in page.content.decode()


def test_every_admin_add_page_of_our_models_opens(admin_client, admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        if meta.app_label not in OUR_APPS or not model_admin.has_add_permission(request):
            continue
        page = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        assert page.status_code == 200, model
        assert 'type="number"' not in page.content.decode(), model
