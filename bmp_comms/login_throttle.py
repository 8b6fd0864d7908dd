"""One attempt budget for every way of logging in: the web login, the admin login and the
API token endpoint.

Two budgets, each ATTEMPTS_PER_WINDOW attempts per WINDOW_SECONDS:
- per client address, whoever is named: one address cannot guess many passwords;
- per username, counting only attempts from addresses where that user has never logged in
  successfully (KnownLoginAddress): a stranger who names a user from anywhere is slowed, while
  the owner, at an address they have logged in from before, is never shut out by it.

The counters live in the default cache (Redis in production). Logins must not depend on Redis:
while it cannot be reached they are kept in this process's memory instead (AttemptCache).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import ipaddress
import logging
import time
import unicodedata

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from bmp_comms.models import KnownLoginAddress

logger = logging.getLogger(__name__)

ATTEMPTS_PER_WINDOW = 10
WINDOW_SECONDS = 300
# A user's known addresses: the most recent few, forgotten after half a year without a login.
KNOWN_ADDRESSES_PER_USER = 20
KNOWN_ADDRESS_LIFETIME = datetime.timedelta(days=180)


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


def client_address(request) -> str:
    """The address the budgets are kept for: the client's IP, except that an IPv6 client stands
    for its /64 network, since one subscriber gets a whole /64 and can change address within it
    at will (privacy addresses)."""
    ip = client_ip(request)
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def normalized_username(username: str) -> str:
    """The username as the login form reads it (Django's UsernameField applies NFKC), so that
    `ｖｈｔｔ` (fullwidth) is `vhtt`."""
    return unicodedata.normalize("NFKC", username).strip()[:150]


def username_key(username: str) -> str:
    """The per-username budget's key: NFKC and case-folded, so no spelling of a name (fullwidth,
    upper case) has a budget of its own. Hashed: usernames are kept out of the cache, and a key
    holds no characters a cache backend refuses."""
    folded = normalized_username(username).casefold()
    return hashlib.sha256(folded.encode()).hexdigest()


class AttemptCache:
    """The default cache, or a cache in this process's memory while the default one cannot be
    reached (Redis down). During an outage each web process counts on its own, so an address
    gets at most one budget per process: a little more guessing for a while, and no login
    answered 500. The default cache is tried again every RETRY_SECONDS; the outage is logged
    once per try, by the exception's type only (a message may name the server)."""

    RETRY_SECONDS = 30.0

    def __init__(
        self,
        name: str = "bmp-comms-login-attempts",
        *,
        label: str = "login throttle",
        timeout: int = WINDOW_SECONDS,
        max_entries: int = 10000,
    ) -> None:
        # Each instance its own memory (a LocMemCache's store is shared by name), and its own
        # name in the log.
        self.label = label
        self.fallback = LocMemCache(
            name, {"TIMEOUT": timeout, "OPTIONS": {"MAX_ENTRIES": max_entries}}
        )
        self.down_until = 0.0  # time.monotonic() before which the default cache is not tried
        self.down = False

    def reset(self) -> None:
        """Forget an outage and the counts kept meanwhile (tests, or an operator's shell)."""
        self.fallback.clear()
        self.down_until = 0.0
        self.down = False

    def _call(self, method: str, *args, **kwargs):
        if time.monotonic() >= self.down_until:
            try:
                result = getattr(caches["default"], method)(*args, **kwargs)
            except ValueError:
                raise  # incr of a missing key: the cache answered, it is not an outage
            except Exception as exc:  # noqa: BLE001 - any backend's failure; logged without its text
                self.down_until = time.monotonic() + self.RETRY_SECONDS
                self.down = True
                logger.warning(
                    "%s: the cache cannot be reached (%s); counting in this process's memory, "
                    "trying the cache again in %d s",
                    self.label,
                    type(exc).__name__,
                    self.RETRY_SECONDS,
                )
            else:
                if self.down:
                    self.down = False
                    logger.info("%s: the cache is reachable again", self.label)
                return result
        return getattr(self.fallback, method)(*args, **kwargs)

    def get(self, key, default=None):
        return self._call("get", key, default)

    def set(self, key, value, timeout):
        return self._call("set", key, value, timeout)

    def add(self, key, value, timeout):
        return self._call("add", key, value, timeout)

    def incr(self, key, delta=1):
        return self._call("incr", key, delta)

    def delete(self, key):
        return self._call("delete", key)


attempt_cache = AttemptCache()


class LoginRateThrottle(ScopedRateThrottle):
    """DRF's per-client rate for the token endpoint, counted in the same outage-proof cache."""

    cache = attempt_cache


class LoginAttempts:
    def __init__(self, request, username: str) -> None:
        self.address = client_address(request)
        self.username = normalized_username(username)
        self.address_key = f"login-attempts:ip:{self.address}"
        self.user_key = f"login-attempts:user:{username_key(username)}" if self.username else None
        self.counted_for_user = False

    def _increment(self, key: str) -> int:
        attempt_cache.add(key, 0, WINDOW_SECONDS)
        try:
            return attempt_cache.incr(key)
        except ValueError:  # expired or evicted between add and incr
            attempt_cache.set(key, 1, WINDOW_SECONDS)
            return 1

    def _known_address(self) -> bool:
        # No username holds a NUL (the login forms refuse one), and PostgreSQL cannot compare
        # a string that does: the query would be a 500 before the form says so.
        if "\x00" in self.username:
            return False
        # Usernames are unique ignoring case (communes migration 0002): one user at most.
        return KnownLoginAddress.objects.filter(
            user__username__iexact=self.username, address=self.address
        ).exists()

    def over_budget(self) -> bool:
        """Count this attempt; True when the address has used its budget, or when the username
        has used its budget and this address is not one the user has logged in from."""
        over = self._increment(self.address_key) > ATTEMPTS_PER_WINDOW
        if self.user_key and not self._known_address():
            self.counted_for_user = True
            over = self._increment(self.user_key) > ATTEMPTS_PER_WINDOW or over
        return over

    def succeeded(self, user) -> None:
        """The address's own mistakes are forgiven and it becomes one of the user's known
        addresses. Of the username's count only this attempt is taken back (the budget counts
        failures): the owner logging in must not hand a stranger elsewhere a fresh budget."""
        attempt_cache.delete(self.address_key)
        if self.counted_for_user:
            with contextlib.suppress(ValueError):  # the window ended meanwhile
                attempt_cache.incr(self.user_key, -1)
        now = timezone.now()
        with transaction.atomic():
            KnownLoginAddress.objects.update_or_create(
                user=user, address=self.address, defaults={"last_login_at": now}
            )
            known = KnownLoginAddress.objects.filter(user=user)
            surplus = list(
                known.order_by("-last_login_at").values_list("pk", flat=True)[
                    KNOWN_ADDRESSES_PER_USER:
                ]
            )
            stale = known.filter(last_login_at__lt=now - KNOWN_ADDRESS_LIFETIME)
            (stale | known.filter(pk__in=surplus)).delete()
