"""The platform names spelled once (groups.Platform): the channel and delivery choices are
derived from it and keep their stored values."""

from bulletins.models import CHANNEL_PLATFORMS, ChannelKind, ChannelPlatform
from groups.models import Platform


def test_the_stored_values_are_as_they_were():
    assert Platform.values == ["zalo", "facebook", "telegram", "viber", "other"]
    assert ChannelPlatform.choices == [("telegram", "Telegram"), ("zalo", "Zalo")]
    assert ChannelKind.values == ["telegram", "zalo", "manual"]
    assert set(CHANNEL_PLATFORMS) <= set(Platform)
