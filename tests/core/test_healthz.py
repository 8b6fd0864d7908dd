import socket
import time
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from bmp_comms.celery import app as celery_app


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down(monkeypatch):
    # A port nothing listens on.
    url = f"redis://127.0.0.1:{closed_port()}/0"
    monkeypatch.setattr(celery_app.conf, "broker_url", url)
    with override_settings(CELERY_BROKER_URL=url):
        yield


@pytest.fixture
def database_down():
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("could not connect to server")
    ):
        yield


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_broker_outage_is_reported_not_raised(client, broker_down):
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "error"}
    assert time.monotonic() - started < 1.5  # one attempt, no retry loop


@pytest.mark.django_db
def test_database_outage_is_a_503_naming_it(client, database_down):
    # No page works without the database: a monitor reading the status alone sees the outage,
    # and the body still says which part is down.
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "broker": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_both_down_is_reported_naming_both(client, database_down, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "broker": "error"}
