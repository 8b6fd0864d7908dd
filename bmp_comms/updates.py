"""The default of an update service's keywords: a field not named keeps its value, so a PATCH
that changes one field says only that one, and a service still lists every field it takes."""

from __future__ import annotations

import enum
from collections.abc import Mapping

from django.db import models


class Unchanged(enum.Enum):
    UNCHANGED = "unchanged"

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = Unchanged.UNCHANGED


def apply_changes(instance: models.Model, changes: Mapping[str, object]) -> None:
    """Set on the instance the values that are not UNCHANGED."""
    for name, value in changes.items():
        if value is not UNCHANGED:
            setattr(instance, name, value)
