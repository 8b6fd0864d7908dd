"""The benchmark's settings: the shared ones (DEBUG off, so no query log grows during the timed
runs) with a fixed key of its own, since pages and the API sign their session and message
cookies and base.py has no key by design."""

from bmp_comms.settings.base import *  # noqa: F403

SECRET_KEY = "bench-only-key-not-secret"

# A page that finds a day of the series missing queues its fill. The bench fills the days itself
# (bench.run.prepare_page) and runs no worker: an in-memory broker takes the tasks as a running
# one would, where the filesystem broker of base.py would need its folders (local.py makes them).
CELERY_BROKER_URL = "memory://"
