"""Guessing verification codes is slow (docs/rules.md#public-channel): an address that asked for
MISSES_PER_WINDOW codes that match no published bulletin is answered 429 on every `/v/` page for
the rest of the window, without the database being asked.

Counted per client address as the login budget is (bmp_comms.login_throttle: behind the trusted
proxies, an IPv6 client's /64), in the default cache, or in this process's memory while the
cache cannot be reached. Only misses count: residents scanning real codes are never slowed."""

from __future__ import annotations

from bmp_comms.login_throttle import AttemptCache, client_address

# A mistyped code or two, not thousands: 20 misses in a quarter of an hour. At 80 bits a code is
# out of reach of 80 guesses an hour from one address.
MISSES_PER_WINDOW = 20
WINDOW_SECONDS = 15 * 60

# The public pages' cache: the guessing counters and the rendered verification pages.
public_cache = AttemptCache(
    "bmp-comms-public-pages",
    label="public pages",
    timeout=WINDOW_SECONDS,
    max_entries=5000,
)


class CodeGuesses:
    def __init__(self, request) -> None:
        self.key = f"public:verify-misses:{client_address(request)}"

    def blocked(self) -> bool:
        return (public_cache.get(self.key) or 0) >= MISSES_PER_WINDOW

    def missed(self) -> None:
        public_cache.add(self.key, 0, WINDOW_SECONDS)
        try:
            public_cache.incr(self.key)
        except ValueError:  # expired or evicted between add and incr
            public_cache.set(self.key, 1, WINDOW_SECONDS)
