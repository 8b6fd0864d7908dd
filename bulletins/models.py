from django.db import models
from django.utils.translation import gettext_lazy as _

from bmp_comms.scoping import CommuneScopedQuerySet
from communes.models import Commune, Officer


class Field(models.Model):
    """A field of responsibility (lĩnh vực); referred to by its code everywhere."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class FieldAssignment(models.Model):
    """One responsible officer per (commune, field), so one piece of news has one poster (D8)."""

    commune_scope = "commune"

    commune = models.ForeignKey(
        Commune,
        on_delete=models.CASCADE,
        related_name="field_assignments",
        verbose_name=_("commune"),
    )
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("field")
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("officer")
    )

    objects = CommuneScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("field assignment")
        verbose_name_plural = _("field assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "field"], name="one_officer_per_commune_field"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field_id}: {self.officer}"
