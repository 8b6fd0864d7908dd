import pytest
from django.core.exceptions import ValidationError

from communes.models import FieldAssignment, Officer, Role, UserProfile
from communes.places import slugify_vietnamese
from communes.services import field_assignment_reassign, officer_save, user_create
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


def test_one_responsible_officer_per_commune_and_field(commune_a):
    holder = officer_save(commune=commune_a, full_name="Trần Thị Y Tế", fields=["y-te"])
    with pytest.raises(ValidationError) as exc:
        officer_save(commune=commune_a, full_name="Lê Văn B", fields=["y-te"])
    assert "Trần Thị Y Tế" in exc.value.message_dict["fields"][0]
    assert list(FieldAssignment.objects.values_list("officer", flat=True)) == [holder.pk]
    assert Officer.objects.count() == 1  # nothing half-saved


def test_same_field_in_another_commune_is_free(commune_a, commune_b):
    officer_save(commune=commune_a, full_name="A", fields=["y-te"])
    officer_save(commune=commune_b, full_name="B", fields=["y-te"])
    assert FieldAssignment.objects.count() == 2


def test_reassignment_is_an_explicit_edit(commune_a, commune_b):
    first = officer_save(commune=commune_a, full_name="A", fields=["y-te"])
    second = OfficerFactory(commune=commune_a)
    assignment = FieldAssignment.objects.get(officer=first)
    field_assignment_reassign(assignment=assignment, officer=second)
    assert FieldAssignment.objects.get(field="y-te", commune=commune_a).officer == second
    with pytest.raises(ValidationError):
        field_assignment_reassign(assignment=assignment, officer=OfficerFactory(commune=commune_b))


def test_unknown_field_code_is_refused(commune_a):
    with pytest.raises(ValidationError) as exc:
        officer_save(commune=commune_a, full_name="A", fields=["khong-co"])
    assert "fields" in exc.value.message_dict


def test_commune_user_becomes_officer_responsible_for_fields(district, commune_a):
    user = user_create(
        district=district,
        username="xa-moi",
        password="mat-khau-dai-2021",
        full_name="Nguyễn Thị Mới",
        role=Role.COMMUNE_OFFICER,
        commune=commune_a,
        fields=["nong-nghiep"],
    )
    assert user.profile.commune == commune_a
    assert user.officer.commune == commune_a
    assert list(user.officer.assignments.values_list("field", flat=True)) == ["nong-nghiep"]


@pytest.mark.parametrize(
    ("role", "needs_commune"),
    [(Role.COMMUNE_OFFICER, False), (Role.DISTRICT_STAFF, True)],
)
def test_role_and_commune_must_agree(district, commune_a, role, needs_commune):
    with pytest.raises(ValidationError) as exc:
        user_create(
            district=district,
            username="sai",
            password="mat-khau-dai-2021",
            full_name="Sai",
            role=role,
            commune=commune_a if needs_commune else None,
        )
    assert "commune" in exc.value.message_dict
    assert not UserProfile.objects.exists()


def test_slug_drops_vietnamese_diacritics():
    assert slugify_vietnamese("Đa Kia") == "da-kia"
    assert slugify_vietnamese("Phú Nghĩa") == "phu-nghia"
    assert slugify_vietnamese("Đak Ơ") == "dak-o"


def test_a_race_past_validation_is_still_bad_input(district, commune_a, monkeypatch):
    # Two requests validate the same code; the second insert hits the unique constraint.
    from communes import places

    monkeypatch.setattr(places.Commune, "full_clean", lambda self: None)
    with pytest.raises(ValidationError) as exc:
        places.commune_create(district=district, code=commune_a.code, name="Xã Trùng")
    assert "code" in exc.value.message_dict


def test_position_is_stored_in_the_portals_language(district, commune_a):
    from django.utils import translation

    with translation.override("en"):
        user = user_create(
            district=district,
            username="xa-en",
            password="mat-khau-dai-2021",
            full_name="Người Dùng",
            role=Role.COMMUNE_LEADER,
            commune=commune_a,
        )
    assert user.officer.position == "Lãnh đạo UBND xã"


def test_usernames_differing_only_in_case_cannot_both_exist(django_user_model):
    from django.db import IntegrityError, transaction

    django_user_model.objects.create_user("vhtt", password="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        django_user_model.objects.create_user("VHTT", password="x")
