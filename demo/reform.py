"""`seed_demo --reform`: the 2025 reform applied to the demo as data (docs/rules.md#demo).

Since 1 July 2025 Bù Gia Mập's communes belong to Đồng Nai province; Phước Minh and Bình Thắng
merged into Đa Kia, Đức Hạnh and Phú Văn into Phú Nghĩa, and Đak Ơ is spelled Đăk Ơ. The top
unit is the same row with a new kind, code and name, the mergers go through the merger service
(communes.mergers), and the letterhead becomes the Sở's. Idempotent: a merger already applied is
not asked for again, and every other change writes the values it would write anyway.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from bmp_comms.scoping import unscoped
from communes.mergers import commune_merge
from communes.models import Commune, District, TopUnitKind
from communes.wording import letterhead_defaults
from demo.letterhead import LETTERHEAD
from reports.models import Letterhead
from reports.services import letterhead_save

REFORM_ON = datetime.date(2025, 7, 1)
PROVINCE = {
    "code": "75",
    "name": "Đồng Nai",
    "kind": TopUnitKind.PROVINCE,
    "province_name": "Đồng Nai",
    "province_code": "75",
}
# survivor's official code: the absorbed communes' codes
MERGERS = {"25231": ("25232", "25234"), "25267": ("25228", "25229")}
RENAMED = {"25225": "Đăk Ơ"}


@dataclass
class ReformSummary:
    merged: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)


def _demo_unit() -> District:
    unit = (
        District.objects.filter(code=PROVINCE["code"], kind=PROVINCE["kind"]).first()
        or District.objects.filter(code="691").first()
    )
    if unit is None:
        raise ValidationError("Seed the demo first (manage.py seed_demo).")
    return unit


@unscoped()
@transaction.atomic
def demo_reform() -> ReformSummary:
    """Apply the 2025 reform to the demo, once however often it runs."""
    summary = ReformSummary()
    unit = _demo_unit()
    District.objects.filter(pk=unit.pk).update(**PROVINCE)
    unit.refresh_from_db()
    communes = {c.code: c for c in Commune.objects.filter(district=unit)}
    for survivor_code, absorbed_codes in MERGERS.items():
        survivor = communes.get(survivor_code)
        absorbed = [
            communes[code].pk
            for code in absorbed_codes
            if code in communes and communes[code].merged_into_id is None
        ]
        if survivor is None or not absorbed:
            continue
        merger = commune_merge(survivor=survivor, absorbed_ids=absorbed, effective_on=REFORM_ON)
        summary.merged += [f"{survivor.name} ← {len(merger.absorbed)}"]
    for code, name in RENAMED.items():
        if Commune.objects.filter(district=unit, code=code).exclude(name=name).update(name=name):
            summary.renamed.append(name)
    _letterhead(unit)
    return summary


def _letterhead(unit: District) -> None:
    """The Sở's letterhead, the demo's signer kept; a letterhead its staff wrote is theirs."""
    staff = get_user_model().objects.filter(username="vhtt", profile__district=unit).first()
    current = Letterhead.objects.filter(district=unit).first()
    if staff is None or (current is not None and current.parent_body != LETTERHEAD["parent_body"]):
        return
    defaults = letterhead_defaults(unit)
    letterhead_save(
        actor=staff,
        district=unit,
        parent_body=defaults.parent_body,
        issuing_body=defaults.issuing_body,
        short_code=defaults.short_code,
        place_name=PROVINCE["name"],
        signer_title=defaults.signer_title,
        signer_name="Lê Văn Minh",
        recipients=defaults.recipients,
    )
