"""People read sentences, never internal codes (docs/rules.md#bulletin-checks): a refused
submission says what is wrong in words; the API keeps the check's name in `checks.failed`."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.bulletins.conftest import HEALTH_BODY

pytestmark = pytest.mark.usefixtures("frozen")

CODES = ("max_words", "sentence_length", "source_required")
# 60 sentences of 8 words: 480 words, over the 300 allowed, in short sentences.
LONG_BODY = " ".join(["Người dân cần đeo khẩu trang nơi đông."] * 60)


def test_an_over_long_bulletin_is_refused_in_words_on_the_api(
    api_as, write, officer_a, health_assignment
):
    bulletin = write(officer_a, body=LONG_BODY)
    client = api_as(officer_a)

    refused = client.post(f"/api/v1/bulletins/{bulletin.pk}/submit/", format="json")

    assert refused.status_code == 400
    [message] = refused.json()["body"]
    assert message == "Bản tin có 480 từ; tối đa 300 từ. Hãy rút gọn bản tin."
    assert not any(code in refused.content.decode() for code in CODES)
    row = client.get(f"/api/v1/bulletins/{bulletin.pk}/").json()
    assert (row["status"], row["checks"]["failed"]) == ("draft", ["max_words"])


def test_an_over_long_bulletin_is_refused_in_words_on_the_page(write, officer_a, health_assignment):
    bulletin = write(officer_a, body=LONG_BODY, source="")
    client = Client()
    client.force_login(officer_a)

    refused = client.post(reverse("bulletin-action", args=[bulletin.pk, "submit"]))

    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Bản tin có 480 từ; tối đa 300 từ. Hãy rút gọn bản tin." in html
    assert "Bản tin y tế phải ghi rõ nguồn." in html
    # Neither the messages nor the failed checks' badges carry the checks' names.
    assert not any(code in html for code in CODES)
    assert "Quá dài" in html and "Thiếu nguồn" in html


def test_a_passing_bulletin_names_no_check_either(write, officer_a, health_assignment):
    bulletin = write(officer_a, body=HEALTH_BODY)
    client = Client()
    client.force_login(officer_a)

    html = client.get(reverse("bulletin-detail", args=[bulletin.pk])).content.decode()

    assert not any(code in html for code in CODES)
