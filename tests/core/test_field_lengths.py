"""A text longer than the column it is saved to is bad input (docs/rules.md#bad-input): the form
or the serializer refuses it, 400 beside its field, before PostgreSQL's varchar refuses it with a
500 (or SQLite, which ignores the length, saves it whole).

Every form and serializer of the project is walked: each text field it takes (CharField and its
kinds: URL, slug, e-mail) must declare a max_length no longer than the column it is written to.
A ModelSerializer names its model; a form or a plain serializer is mapped below, and a new one
that takes text fails here until it is.
"""

from __future__ import annotations

import importlib
import importlib.util

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import get_resolver
from rest_framework import serializers

from bulletins import forms as bulletin_forms
from bulletins import serializers as bulletin_serializers
from bulletins import services as bulletin_services
from bulletins.models import Bulletin, BulletinTransition, Delivery
from communes import forms as commune_forms
from communes import serializers as commune_serializers
from communes.models import Commune, Officer, Village
from deadlines import forms as deadline_forms
from deadlines.models import Deadline, Inspection, Submission
from groups import forms as group_forms
from groups.models import MessagingGroup
from reports import forms as report_forms
from reports.models import Letterhead

APPS = ("bmp_comms", "communes", "groups", "deadlines", "bulletins", "dashboard", "reports", "demo")
User = get_user_model()

# Forms and plain serializers → the model whose columns their fields are written to (a field of
# the same name; other names in COLUMNS).
MODELS = {
    bulletin_forms.BulletinForm: Bulletin,
    bulletin_forms.ConfirmForm: Delivery,
    bulletin_serializers.ConfirmSerializer: Delivery,
    bulletin_forms.RejectForm: BulletinTransition,
    bulletin_serializers.RejectSerializer: BulletinTransition,
    bulletin_forms.ApproveForm: Bulletin,
    bulletin_serializers.ApproveSerializer: Bulletin,
    commune_forms.CommuneForm: Commune,
    commune_forms.OfficerForm: Officer,
    commune_forms.VillageForm: Village,
    commune_forms.UserForm: User,
    commune_forms.UserEditForm: User,
    commune_serializers.UserSerializer: User,
    commune_serializers.UserUpdateSerializer: User,
    deadline_forms.DeadlineForm: Deadline,
    deadline_forms.InspectionForm: Inspection,
    deadline_forms.SubmissionForm: Submission,
    group_forms.GroupForm: MessagingGroup,
    report_forms.LetterheadForm: Letterhead,
}
# A field saved under another name, or to more than one column (a commune user's full name is
# its login's first name and its officer's full name).
COLUMNS = {
    "reason": [BulletinTransition._meta.get_field("note")],
    # an urgent approval's reason: on the bulletin, and in its history's note
    "reason@Bulletin": [
        Bulletin._meta.get_field("urgent_reason"),
        BulletinTransition._meta.get_field("note"),
    ],
    "full_name@User": [
        AbstractUser._meta.get_field("first_name"),
        Officer._meta.get_field("full_name"),
    ],
}
# Text a form or serializer takes that is no column of its own: what it is instead.
NOT_COLUMNS = {
    # hashed by the service
    (commune_forms.UserForm, "password"),
    (commune_serializers.UserSerializer, "password"),
    # a platform's credentials, encrypted together into one text column
    *((bulletin_forms.TelegramChannelForm, name) for name in ("bot_token",)),
    *(
        (bulletin_forms.ZaloChannelForm, name)
        for name in ("app_id", "secret_key", "access_token", "refresh_token")
    ),
}


# Serializers that only describe what the API answers (or the schema documents): no input.
RESPONSES = {
    "dashboard.api.CommuneIdentitySerializer",
    "dashboard.api.CommuneRowSerializer",
    "dashboard.api.DashboardDeadlineSerializer",
    "dashboard.api.DashboardDeadlineStatusSerializer",
    "dashboard.api.ReleasedFieldSerializer",
    "deadlines.serializers.ChannelSerializer",
    "groups.import_api.RowErrorSerializer",
    "reports.api.ReportAcceptedSerializer",
}
# A length the service judges, with its own message (the serializer leaves it to the service):
# the service's limit, checked against the column instead.
IN_THE_SERVICE = {
    (bulletin_serializers.BulletinSerializer, "title"): bulletin_services.TITLE_MAX,
}


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project_classes(base) -> list[type]:
    assert get_resolver().url_patterns  # every view, with the forms and serializers it uses
    for app in APPS:
        for module in ("forms", "serializers", "api"):
            if importlib.util.find_spec(f"{app}.{module}"):
                importlib.import_module(f"{app}.{module}")
    return sorted(
        {cls for cls in _subclasses(base) if cls.__module__.split(".")[0] in APPS},
        key=_name,
    )


def _text_fields(cls) -> dict[str, object]:
    """The text fields the class takes from its input."""
    if issubclass(cls, forms.BaseForm):
        fields = cls.base_fields
        kind = forms.CharField
    else:
        fields = cls().fields
        kind = serializers.CharField
    return {
        name: field
        for name, field in fields.items()
        if isinstance(field, kind) and not getattr(field, "read_only", False)
    }


def _model(cls):
    if cls in MODELS:
        return MODELS[cls]
    if issubclass(cls, serializers.ModelSerializer):
        return cls.Meta.model
    return None


def _columns(cls, name, field) -> list[models.Field]:
    model = _model(cls)
    if f"{name}@{model.__name__}" in COLUMNS:
        return COLUMNS[f"{name}@{model.__name__}"]
    if name in COLUMNS and model in {column.model for column in COLUMNS[name]}:
        return COLUMNS[name]
    source = getattr(field, "source", None) or name
    try:
        return [model._meta.get_field(source)]
    except FieldDoesNotExist:
        return []


def _abstract(cls) -> bool:
    return issubclass(cls, serializers.ModelSerializer) and not hasattr(cls, "Meta")


CLASSES = [
    cls
    for base in (forms.BaseForm, serializers.BaseSerializer)
    for cls in _project_classes(base)
    if _name(cls) not in RESPONSES and not _abstract(cls)
]


def test_the_responses_listed_are_classes_of_the_project():
    names = {_name(cls) for cls in _project_classes(serializers.BaseSerializer)}
    assert names.issuperset(RESPONSES)


@pytest.mark.django_db
@pytest.mark.parametrize("cls", CLASSES, ids=_name)
def test_every_text_field_is_no_longer_than_its_column(cls):
    fields = {
        name: field for name, field in _text_fields(cls).items() if (cls, name) not in NOT_COLUMNS
    }
    if not fields:
        return
    assert _model(cls) is not None, f"map {cls.__qualname__} to the model it writes (MODELS)"
    for name, field in fields.items():
        columns = _columns(cls, name, field)
        assert columns, f"{cls.__qualname__}.{name}: no column of that name (COLUMNS)"
        limits = [
            column.max_length
            for column in columns
            if isinstance(column, models.CharField) and column.max_length
        ]
        if limits:
            declared = IN_THE_SERVICE.get((cls, name), field.max_length)
            assert declared is not None, f"{cls.__qualname__}.{name} has no max_length"
            assert declared <= min(limits), (
                f"{cls.__qualname__}.{name}: {declared} > the column's {min(limits)}"
            )
