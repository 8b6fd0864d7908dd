"""Fast, deterministic settings for the test suite (PostgreSQL when DATABASE_URL is set)."""

from .base import *  # noqa: F403
from .base import REST_FRAMEWORK, VAR_DIR

# Fixed, whatever the environment says: tests never sign anything with a real key.
SECRET_KEY = "test-only-key-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = str(VAR_DIR / "test-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"login": "1000/min"}}
# A fixed key, so encrypted credentials written by one test process read in another.
CHANNEL_CREDENTIALS_KEY = "dGVzdC1rZXktb2YtdGhlLXN1aXRlLW5vdC1hLXNlY3I="
# Fixed, whatever the environment says: tests read the public pages' addresses in messages.
PUBLIC_BASE_URL = "http://127.0.0.1:8000"
