"""The kinds of units (docs/rules.md#unit-kinds): of the top unit, of a commune, of a village.
Every word that names a unit follows its kind (communes.wording)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TopUnitKind(models.TextChoices):
    """What the top unit is (docs/rules.md#unit-kinds): every word that names it follows."""

    DISTRICT = "district", _("district")
    PROVINCE = "province", _("province")
    # A centrally-run city (thành phố trực thuộc trung ương): Hà Nội, Huế, Đà Nẵng…
    CITY = "city", _("city")


class CommuneKind(models.TextChoices):
    XA = "xa", _("commune")
    PHUONG = "phuong", _("ward")
    DAC_KHU = "dac_khu", _("special zone")


class VillageKind(models.TextChoices):
    THON = "thon", _("thôn")
    AP = "ap", _("ấp")
    BON = "bon", _("bon")
    TO_DAN_PHO = "to_dan_pho", _("tổ dân phố")
    KHU_PHO = "khu_pho", _("khu phố")
    BUON = "buon", _("buôn")
    BAN = "ban", _("bản")
    LANG = "lang", _("làng")
    SOC = "soc", _("sóc")
