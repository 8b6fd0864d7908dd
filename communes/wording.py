"""The words that name the top unit and a commune, taken from their kinds
(docs/rules.md#unit-kinds): "Toàn huyện" under a district, "Toàn tỉnh" under a province,
"Toàn thành phố" under a centrally-run city; "xã Đa Kia", "phường Bình Lộc", "đặc khu Phú
Quý". Pages read them through the `top_unit` context variable (bmp_comms.context_processors) and
the `unit_words` template filters; e-mails, exports and the report call these functions.

A commune's name is stored without its kind word ("Đa Kia"): the kind gives the word.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bmp_comms.roles import Role
from communes.models import CommuneKind, TopUnitKind


@dataclass(frozen=True)
class TopUnitWords:
    """The phrases that name a top unit of one kind, translated when shown. The district's are
    the words the product has always used, so the demo of 2021 reads as it did."""

    kind: str
    unit: Promise  # huyện / tỉnh / thành phố
    whole: Promise  # Toàn huyện
    whole_lower: Promise  # toàn huyện
    dashboard: Promise  # Bảng tổng hợp toàn huyện
    series: Promise  # the dashboard's chart over time
    office: Promise  # the office that follows the communes: Phòng VH-TT huyện / Sở VHTTDL
    office_short: Promise  # the same without its unit: Phòng Văn hóa - Thông tin
    signature: Promise  # the last line of an e-mail it sends
    staff: Promise  # the role label of `district_staff`
    leader: Promise  # the role label of `district_leader`
    title: Promise  # "%(name)s district" → "huyện %(name)s"


WORDS = {
    TopUnitKind.DISTRICT: TopUnitWords(
        kind=TopUnitKind.DISTRICT,
        unit=_("district"),
        whole=_("The whole district"),
        whole_lower=_("the whole district"),
        dashboard=_("District dashboard"),
        series=_("District coverage and Bluzone over time"),
        office=_("the district Culture–Information Office"),
        office_short=_("the Culture and Information Office"),
        signature=_(
            "The district Culture and Information Office (this message was sent automatically)."
        ),
        staff=_("Staff of the district Culture–Information Office"),
        leader=_("District leader"),
        title=_("%(name)s district"),
    ),
    TopUnitKind.PROVINCE: TopUnitWords(
        kind=TopUnitKind.PROVINCE,
        unit=_("province"),
        whole=_("The whole province"),
        whole_lower=_("the whole province"),
        dashboard=_("Province dashboard"),
        series=_("Province coverage and Bluzone over time"),
        office=_("the provincial Department of Culture, Sports and Tourism"),
        office_short=_("the Department of Culture, Sports and Tourism"),
        signature=_(
            "The provincial Department of Culture, Sports and Tourism (this message was sent "
            "automatically)."
        ),
        staff=_("Staff of the provincial Department of Culture, Sports and Tourism"),
        leader=_("Province leader"),
        title=_("%(name)s province"),
    ),
    TopUnitKind.CITY: TopUnitWords(
        kind=TopUnitKind.CITY,
        unit=_("city"),
        whole=_("The whole city"),
        whole_lower=_("the whole city"),
        dashboard=_("City dashboard"),
        series=_("City coverage and Bluzone over time"),
        office=_("the city Department of Culture, Sports and Tourism"),
        office_short=_("the Department of Culture, Sports and Tourism"),
        signature=_(
            "The city Department of Culture, Sports and Tourism (this message was sent "
            "automatically)."
        ),
        staff=_("Staff of the city Department of Culture, Sports and Tourism"),
        leader=_("City leader"),
        title=_("%(name)s city"),
    ),
}


def top_unit_words(district=None) -> TopUnitWords:
    """The phrases of the top unit's kind; a district's when there is no top unit (a login
    without a profile, such as an administrator)."""
    kind = getattr(district, "kind", None) or TopUnitKind.DISTRICT
    return WORDS.get(kind, WORDS[TopUnitKind.DISTRICT])


def unit_params(district) -> dict[str, str]:
    """`%(unit)s` of a sentence: "huyện", "tỉnh", "thành phố"."""
    return {"unit": str(top_unit_words(district).unit)}


def top_unit_title(district) -> str:
    """ "huyện Bù Gia Mập", "tỉnh Đồng Nai", "thành phố Huế" (in English "Đồng Nai province")."""
    return str(top_unit_words(district).title) % {"name": district.name}


# The word of each commune kind as Vietnamese writes it before a name; official texts (the
# sender of a delivery, a letterhead) are Vietnamese whatever the page's language.
COMMUNE_WORDS = {
    CommuneKind.XA: "xã",
    CommuneKind.PHUONG: "phường",
    CommuneKind.DAC_KHU: "đặc khu",
}
COMMUNE_TITLES = {
    CommuneKind.XA: _("%(name)s commune"),
    CommuneKind.PHUONG: _("%(name)s ward"),
    CommuneKind.DAC_KHU: _("%(name)s special zone"),
}


def commune_word(commune) -> str:
    return COMMUNE_WORDS.get(getattr(commune, "kind", ""), COMMUNE_WORDS[CommuneKind.XA])


def commune_title(commune) -> str:
    """ "xã Đa Kia", "phường Bình Lộc", "đặc khu Phú Quý" (in English "Đa Kia commune")."""
    title = COMMUNE_TITLES.get(getattr(commune, "kind", ""), COMMUNE_TITLES[CommuneKind.XA])
    return str(title) % {"name": commune.name}


def commune_committee(commune) -> str:
    """The People's Committee that speaks for the commune, in Vietnamese: "UBND xã Đa Kia",
    "UBND phường Bình Lộc", "UBND đặc khu Phú Quý" (the sender of a delivery)."""
    return f"UBND {commune_word(commune)} {commune.name}"


def split_kind(name: str) -> tuple[str | None, str]:
    """ "Xã Đa Kia" → ("xa", "Đa Kia"); "Phường Bình Lộc" → ("phuong", "Bình Lộc"); a name
    without a kind word → (None, the name). A bare kind word is a name, not a kind."""
    name = " ".join(name.split())
    folded = name.casefold()
    for kind, word in COMMUNE_WORDS.items():
        prefix = f"{word} "
        if folded.startswith(prefix) and len(name) > len(prefix):
            return kind, name[len(prefix) :]
    return None, name


COMMUNE_ROLE_LABELS = {
    (CommuneKind.XA, Role.COMMUNE_OFFICER): _("Commune officer"),
    (CommuneKind.XA, Role.COMMUNE_LEADER): _("Commune leader"),
    (CommuneKind.PHUONG, Role.COMMUNE_OFFICER): _("Ward officer"),
    (CommuneKind.PHUONG, Role.COMMUNE_LEADER): _("Ward leader"),
    (CommuneKind.DAC_KHU, Role.COMMUNE_OFFICER): _("Special zone officer"),
    (CommuneKind.DAC_KHU, Role.COMMUNE_LEADER): _("Special zone leader"),
}


def role_label(role: str, *, district=None, commune=None) -> str:
    """The role's label in the words of its unit (docs/rules.md#roles): `district_staff` is
    "Cán bộ Phòng Văn hóa – Thông tin huyện" under a district and "Cán bộ Sở Văn hóa, Thể
    thao và Du lịch" under a province or city; `district_leader` "Lãnh đạo UBND huyện /
    tỉnh / thành phố"; a commune role follows its commune's kind. The codes never change."""
    if role == Role.DISTRICT_STAFF:
        return str(top_unit_words(district).staff)
    if role == Role.DISTRICT_LEADER:
        return str(top_unit_words(district).leader)
    kind = getattr(commune, "kind", None) or CommuneKind.XA
    label = COMMUNE_ROLE_LABELS.get((kind, role))
    if label is None:
        return str(Role(role).label) if role in Role.values else role
    return str(label)


def default_position(role: str, *, commune=None) -> str:
    """A new commune user's position as its officer: its role's label, stored, so in the
    portal's language rather than in whichever language the creator browses."""
    with translation.override(settings.LANGUAGE_CODE):
        return role_label(role, commune=commune)


def profile_role_label(profile) -> str:
    """A user profile's role label, from its top unit and commune (both read with it)."""
    commune = profile.commune if profile.commune_id else None
    return role_label(profile.role, district=profile.district, commune=commune)


@dataclass(frozen=True)
class LetterheadDefaults:
    """The default letterhead of a top unit's reports, in Vietnamese (the official layout of
    Nghị định 30/2020/NĐ-CP is Vietnamese whatever the page's language)."""

    parent_body: str
    issuing_body: str
    short_code: str
    signer_title: str
    recipients: str


def letterhead_defaults(district) -> LetterheadDefaults:
    """Phòng Văn hóa - Thông tin of the district's People's Committee (as in dispatch
    606/UBND-VX); under a province or a city, its Sở Văn hóa, Thể thao và Du lịch."""
    if getattr(district, "kind", TopUnitKind.DISTRICT) == TopUnitKind.DISTRICT:
        committee = f"UBND huyện {district.name}"
        return LetterheadDefaults(
            parent_body=committee,
            issuing_body="Phòng Văn hóa - Thông tin",
            short_code="VHTT",
            signer_title="Trưởng phòng",
            recipients=f"{committee} (b/c);\nUBND các xã;",
        )
    word = "tỉnh" if district.kind == TopUnitKind.PROVINCE else "thành phố"
    committee = f"UBND {word} {district.name}"
    return LetterheadDefaults(
        parent_body=committee,
        issuing_body="Sở Văn hóa, Thể thao và Du lịch",
        short_code="SVHTTDL",
        signer_title="Giám đốc",
        recipients=f"{committee} (b/c);\nUBND các xã, phường, đặc khu;",
    )
