"""The API against its own OpenAPI schema, with generated input: a few examples per operation,
a fixed seed, as a commune officer and as district staff. Any 5xx, or a response that does not
match the schema, fails. (The full, unbounded run is the tester's; this one guards the suite.)"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import GroupFactory, MemberCountFactory, VillageFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: the WSGI handler would close the connection holding the
    test's transaction at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(officer_a, district_staff, commune_a):
    village = VillageFactory(commune=commune_a, name="Thôn 1")
    group = GroupFactory(village=village, name="Nhóm 1")
    MemberCountFactory(group=group)
    return [Token.objects.create(user=user).key for user in (officer_a, district_staff)]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=3,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_by_its_schema(case, tokens):
    for token in tokens:
        case.call_and_validate(
            headers={"Authorization": f"Token {token}", "Host": "localhost"},
            checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
        )
