"""The letterhead of Bù Gia Mập's reports for `seed_demo` (docs/rules.md#letterhead: Phòng Văn hóa
- Thông tin of the district's People's Committee; the signer's name is illustrative)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from communes.models import District
from reports.models import Letterhead
from reports.services import letterhead_save

LETTERHEAD = {
    "parent_body": "UBND huyện Bù Gia Mập",
    "issuing_body": "Phòng Văn hóa - Thông tin",
    "short_code": "VHTT",
    "place_name": "Bù Gia Mập",
    "signer_title": "Trưởng phòng",
    "signer_name": "Lê Văn Minh",
    "recipients": "\n".join(
        [
            "UBND huyện (b/c);",
            "Chủ tịch, các PCT UBND huyện;",
            "UBND các xã;",
        ]
    ),
}


def seed_demo_letterhead(*, district: District) -> None:
    """Idempotent: the demo district's letterhead, unless its staff have written one."""
    if Letterhead.objects.filter(district=district).exists():
        return
    staff = get_user_model().objects.filter(username="vhtt", profile__district=district).first()
    if staff is None:
        return
    letterhead_save(actor=staff, district=district, **LETTERHEAD)
