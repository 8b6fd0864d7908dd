"""The embedded default: SQLite, a filesystem broker, DEBUG on. Nothing to install."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

# The one default key, good for a developer's machine only; production requires its own.
SECRET_KEY = env("SECRET_KEY", default="insecure-local-only-key-do-not-use-in-production")
DEBUG = env.bool("DEBUG", default=True)
for folder in ("broker/out", "broker/processed", "media"):
    (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
# A fixed key for local data only; production requires its own (production.py).
CHANNEL_CREDENTIALS_KEY = env(
    "CHANNEL_CREDENTIALS_KEY", default="bG9jYWwtZGV2LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24="
)
