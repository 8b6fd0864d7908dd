"""The admin site reads every row: it is for administrators, who have no commune and no
district, and whose pages (lists, filters, choice lists, inlines, history) query through the
models' default managers, which fail closed outside `unscoped()` (bmp_comms.scoping)."""

from __future__ import annotations

import functools

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig

from bmp_comms.scoping import unscoped


class AdminSite(admin.AdminSite):
    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        @functools.wraps(checked)
        def unscoped_view(request, *args, **kwargs):
            with unscoped():
                response = checked(request, *args, **kwargs)
                # A page is a TemplateResponse, rendered after the view returns: render it here,
                # where its template may still query every row.
                if callable(getattr(response, "render", None)) and not response.is_rendered:
                    response.render()
                return response

        return unscoped_view


class AdminConfig(DjangoAdminConfig):
    default_site = "bmp_comms.admin_site.AdminSite"
