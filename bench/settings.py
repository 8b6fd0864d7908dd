"""The benchmark's settings: the shared ones (DEBUG off, so no query log grows during the timed
runs) with a fixed key of its own, since pages and the API sign their session and message
cookies and base.py has no key by design."""

from bmp_comms.settings.base import *  # noqa: F403

SECRET_KEY = "bench-only-key-not-secret"
