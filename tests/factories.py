"""factory-boy factories for the whole suite."""

import datetime

import factory
from django.contrib.auth import get_user_model

from communes.models import BluzoneCount, Commune, District, Officer, Role, UserProfile, Village
from groups.models import GroupStatus, MemberCount, MessagingGroup, Platform

PASSWORD = "test-pass-2021"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = "691"
    name = "Bù Gia Mập"
    province_name = "Bình Phước"
    province_code = "70"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Xã {n}")
    slug = factory.Sequence(lambda n: f"xa-{n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Thôn {n}")
    kind = "thon"
    households = 200
    residents = 800
    smartphone_users = 400


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessagingGroup

    village = factory.SubFactory(VillageFactory)
    platform = Platform.ZALO
    name = factory.Sequence(lambda n: f"Nhóm tin {n}")
    invite_url = factory.Sequence(lambda n: f"https://zalo.me/g/group{n}")
    admin_name = "Nguyễn Văn A"
    admin_phone = "0912345678"
    admin_trained = True
    established_on = datetime.date(2021, 7, 1)
    status = GroupStatus.ACTIVE


class MemberCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberCount

    group = factory.SubFactory(GroupFactory)
    date = datetime.date(2021, 8, 1)
    members = 100


class BluzoneCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BluzoneCount

    village = factory.SubFactory(VillageFactory)
    date = datetime.date(2021, 8, 1)
    installs = 100


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    commune = factory.SubFactory(CommuneFactory)
    full_name = factory.Sequence(lambda n: f"Cán bộ {n}")
    position = "Công chức"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Người dùng {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_user(role: str, *, commune: Commune | None = None, district: District | None = None, **kw):
    """A login with a profile; commune roles also get an Officer, as `user_create` makes them."""
    user = UserFactory(**kw)
    district = district or (commune.district if commune else DistrictFactory())
    UserProfile.objects.create(user=user, role=role, district=district, commune=commune)
    if role in (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER):
        OfficerFactory(commune=commune, full_name=user.first_name, user=user)
    return user


class DeadlineFactory(factory.django.DjangoModelFactory):
    """A deadline of 06/08/2021; `communes=[...]` names those covered (none unless given)."""

    class Meta:
        model = "deadlines.Deadline"
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    title = "Báo cáo kết quả thành lập nhóm tin"
    directive = "606/UBND-VX"
    due_date = datetime.date(2021, 8, 6)

    @factory.post_generation
    def communes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.communes.set(extracted)


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deadlines.Submission"

    deadline = factory.SubFactory(DeadlineFactory)
    commune = factory.SubFactory(CommuneFactory)
    submitted_at = factory.LazyFunction(
        lambda: datetime.datetime(2021, 8, 5, 3, 0, tzinfo=datetime.UTC)
    )
    note = "Đã hoàn thành."


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "deadlines.Inspection"

    commune = factory.SubFactory(CommuneFactory)
    date = datetime.date(2021, 8, 10)
    inspector = "Trần Thị Thu Hà"
    findings = "Hai thôn chưa có nhóm tin."
