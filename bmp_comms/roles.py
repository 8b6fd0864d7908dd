"""The four roles of docs/rules.md#roles: who a login is, and so which rows and actions are
theirs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    COMMUNE_LEADER = "commune_leader", _("Commune leader")
    DISTRICT_STAFF = "district_staff", _("District staff (Culture–Information Office)")
    DISTRICT_LEADER = "district_leader", _("District leader")


COMMUNE_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER})
DISTRICT_ROLES = frozenset({Role.DISTRICT_STAFF, Role.DISTRICT_LEADER})
