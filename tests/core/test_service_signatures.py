"""Services are typed, keyword-only functions (STYLE.md): none takes `**data`, so a caller
names every value it passes and a misspelt field is a TypeError, not a silent no-op."""

import inspect

import pytest

import communes.accounts
import communes.places
import communes.services
import groups.services

# Public helpers of a services module that are not services (no write, positional by nature).
HELPERS = {"slugify_vietnamese"}


def services_of(module):
    return [
        pytest.param(function, id=f"{module.__name__}.{name}")
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and name not in HELPERS
    ]


@pytest.mark.parametrize(
    "service",
    services_of(communes.places)
    + services_of(communes.services)
    + services_of(communes.accounts)
    + services_of(groups.services),
)
def test_a_service_takes_typed_keywords_only(service):
    parameters = inspect.signature(service).parameters.values()
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)
    untyped = [p.name for p in parameters if p.annotation is inspect.Parameter.empty]
    assert untyped == []
    assert inspect.signature(service).return_annotation is not inspect.Signature.empty
