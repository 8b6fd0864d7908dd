"""Codes cannot be enumerated (docs/rules.md#public-channel): an address that tries many wrong
codes gets 429 for a while, while a right code from elsewhere still works."""

import secrets

import pytest
import time_machine
from django.test import Client

from bulletins.verification import CODE_ALPHABET, CODE_LENGTH
from public.throttle import MISSES_PER_WINDOW, WINDOW_SECONDS
from tests.bulletins.conftest import NOW

ALPHABET = "".join(sorted(CODE_ALPHABET))


def random_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


@pytest.mark.django_db
def test_a_thousand_random_codes_from_one_address_find_nothing_and_are_slowed(
    published, django_assert_max_num_queries
):
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    statuses = []
    with time_machine.travel(NOW, tick=False):
        for number in range(1000):
            code = random_code()
            if number == MISSES_PER_WINDOW:
                # Blocked now: answered from the cache, the database is not asked.
                with django_assert_max_num_queries(0):
                    statuses.append(guesser.get(f"/v/{code}/").status_code)
                continue
            statuses.append(guesser.get(f"/v/{code}/").status_code)

        # The right code from another address still works…
        other = Client(REMOTE_ADDR="198.51.100.20").get(f"/v/{published.verify_code}/")
        # …while the guessing address is told to wait, right code or not.
        blocked = guesser.get(f"/v/{published.verify_code}/")

    assert set(statuses) <= {404, 429}
    assert 200 not in statuses
    assert statuses[:MISSES_PER_WINDOW] == [404] * MISSES_PER_WINDOW
    assert statuses[MISSES_PER_WINDOW:] == [429] * (1000 - MISSES_PER_WINDOW)
    assert other.status_code == 200
    assert published.title in other.content.decode()
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == str(WINDOW_SECONDS)
    assert "Quá nhiều mã không đúng" in blocked.content.decode()
    assert published.title not in blocked.content.decode()


@pytest.mark.django_db
def test_the_wait_ends_with_the_window(published):
    guesser = Client(REMOTE_ADDR="203.0.113.8")
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(MISSES_PER_WINDOW):
            assert guesser.get(f"/v/{random_code()}/").status_code == 404
        assert guesser.get(f"/v/{published.verify_code}/").status_code == 429
        clock.shift(WINDOW_SECONDS + 1)

        assert guesser.get(f"/v/{published.verify_code}/").status_code == 200


@pytest.mark.django_db
def test_malformed_codes_count_as_misses_too(published):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for number in range(MISSES_PER_WINDOW):
        assert guesser.get(f"/v/{'x' * (number + 1)}/").status_code == 404

    assert guesser.get(f"/v/{published.verify_code}/").status_code == 429


@pytest.mark.django_db
def test_reading_real_pages_is_never_slowed(published):
    reader = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(MISSES_PER_WINDOW * 3):
        assert reader.get(f"/v/{published.verify_code}/").status_code == 200
