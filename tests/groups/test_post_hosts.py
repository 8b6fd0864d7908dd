"""Where a post of each platform lives (docs/rules.md#confirming-a-post): the link confirming a
post made by hand is on one of its platform's hosts or a subdomain of one; "other" takes any
http(s) site. The table is spelled once, beside the platforms (groups.models)."""

import pytest

from groups.models import POST_HOSTS, Platform, is_post_of


def test_every_platform_has_its_hosts():
    assert set(POST_HOSTS) == set(Platform.values)
    assert POST_HOSTS == {
        "facebook": ("facebook.com", "fb.com", "fb.me", "fb.watch"),
        "telegram": ("t.me", "telegram.me"),
        "zalo": ("zalo.me", "chat.zalo.me"),
        "viber": ("viber.com", "invite.viber.com"),
        "other": (),
    }


@pytest.mark.parametrize(
    ("platform", "url", "fits"),
    [
        ("facebook", "https://www.facebook.com/groups/1/posts/2", True),
        ("facebook", "https://m.facebook.com/story.php?id=1", True),
        ("facebook", "https://fb.com/1", True),
        ("facebook", "https://fb.me/abc", True),
        ("facebook", "https://fb.watch/xyz/", True),
        ("facebook", "https://FACEBOOK.COM./p/1", True),
        ("facebook", "https://facebook.com.evil.vn/p/1", False),
        ("facebook", "https://notfacebook.com/p/1", False),
        ("facebook", "https://facebook.com@evil.vn/p/1", False),
        ("facebook", "https://zalo.me/g/1", False),
        ("telegram", "https://t.me/c/123/45", True),
        ("telegram", "https://telegram.me/group/1", True),
        ("telegram", "https://www.t.me/group/1", True),
        ("telegram", "https://telegram.org/group/1", False),
        ("zalo", "https://zalo.me/g/abc", True),
        ("zalo", "https://chat.zalo.me/?g=abc", True),
        ("zalo", "https://zalo.vn/g/abc", False),
        ("viber", "https://invite.viber.com/?g=abc", True),
        ("viber", "https://www.viber.com/p/1", True),
        ("viber", "https://viber.me/p/1", False),
        ("other", "https://xa-phunghia.gov.vn/tin/1", True),
        ("other", "http://example.com", True),
    ],
)
def test_a_link_fits_its_platform(platform, url, fits):
    assert is_post_of(platform, url) is fits
