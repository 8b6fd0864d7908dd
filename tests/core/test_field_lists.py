"""Each model's writable fields are written once (GROUP_FIELDS, VILLAGE_FIELDS): the services'
keywords, the form's fields and the API's fields are that list, so none can drift."""

import inspect

from communes.forms import VillageForm
from communes.models import VILLAGE_FIELDS
from communes.places import village_create, village_update
from communes.serializers import VillageSerializer
from groups.forms import GroupForm
from groups.models import GROUP_FIELDS
from groups.serializers import GroupSerializer
from groups.services import group_register, group_update


def keywords(service, *, besides: set[str]) -> tuple[str, ...]:
    parameters = inspect.signature(service).parameters.values()
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)
    return tuple(p.name for p in parameters if p.name not in besides)


def test_group_services_form_and_api_take_the_group_fields():
    assert keywords(group_register, besides={"actor"}) == GROUP_FIELDS
    assert keywords(group_update, besides={"group"}) == GROUP_FIELDS
    assert tuple(GroupForm.base_fields) == GROUP_FIELDS
    assert GroupSerializer.Meta.fields == ["id", *GROUP_FIELDS]


def test_village_services_form_and_api_take_the_village_fields():
    assert keywords(village_create, besides={"commune"}) == VILLAGE_FIELDS
    assert keywords(village_update, besides={"village", "commune"}) == VILLAGE_FIELDS
    assert tuple(VillageForm.base_fields) == VILLAGE_FIELDS
    assert VillageSerializer.Meta.fields == ["id", "commune", *VILLAGE_FIELDS]
