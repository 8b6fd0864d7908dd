"""Bad input that once slipped through: ids of other communes probed through a filter, a bot
token that would reach a log through the URL it is put in."""

import pytest

from bulletins.models import Channel


@pytest.mark.django_db
def test_the_deliveries_filter_does_not_tell_another_communes_bulletin_exists(
    api_as, write, officer_a, officer_b
):
    theirs = write(officer_a)
    client = api_as(officer_b)
    other = client.get("/api/v1/deliveries/", {"bulletin": theirs.pk})
    missing = client.get("/api/v1/deliveries/", {"bulletin": theirs.pk + 10_000})
    assert other.status_code == missing.status_code == 200
    assert other.json()["results"] == missing.json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "token", ["123:abc\x01def", "123:abc\x7f", "123:abc/../x", "abc:def", "123:"]
)
def test_a_bot_token_not_of_telegrams_form_is_refused(api_as, leader_a, commune_a, token):
    response = api_as(leader_a).post(
        "/api/v1/channels/",
        {"commune": commune_a.pk, "platform": "telegram", "credentials": {"bot_token": token}},
        format="json",
    )
    assert response.status_code == 400
    assert token not in response.content.decode()
    assert not Channel.objects.exists()


@pytest.mark.django_db
def test_a_submit_checks_the_text_as_it_is_in_the_database(write, officer_a, health_assignment):
    from django.core.exceptions import ValidationError

    from bulletins import services
    from bulletins.models import Bulletin

    bulletin = write(officer_a)
    # Another request saved a text over the limit after this one loaded the bulletin.
    Bulletin.objects.filter(pk=bulletin.pk).update(body="chữ " * 301 + ".")
    with pytest.raises(ValidationError) as refused:
        services.bulletin_submit(bulletin=bulletin, actor=officer_a)
    assert "body" in refused.value.message_dict
    assert Bulletin.objects.get(pk=bulletin.pk).status == "draft"
