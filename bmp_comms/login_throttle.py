"""One attempt budget for every way of logging in: the web login, the admin login and the
API token endpoint, counted per client address and per username."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

ATTEMPTS_PER_WINDOW = 10
WINDOW_SECONDS = 300


def client_ip(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies it is the entry that
    the outermost trusted proxy appended to X-Forwarded-For; entries left of it are written by
    the client and cannot be trusted, so they never pick the throttle key."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


class LoginAttempts:
    def __init__(self, request, username: str) -> None:
        self.keys = [
            f"login-attempts:ip:{client_ip(request)}",
            f"login-attempts:user:{username.strip().lower()[:150]}",
        ]

    def _increment(self, key: str) -> int:
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            return cache.incr(key)
        except ValueError:  # expired or evicted between add and incr
            cache.set(key, 1, WINDOW_SECONDS)
            return 1

    def over_budget(self) -> bool:
        """Count this attempt; True when the address or the username has used its budget."""
        return max(self._increment(key) for key in self.keys) > ATTEMPTS_PER_WINDOW

    def succeeded(self) -> None:
        cache.delete_many(self.keys)
