"""Production: every secret and host from the environment, every security setting on."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, REDIS_TRANSPORT_OPTIONS, REST_FRAMEWORK, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}  # see base.py
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection dies with a PostgreSQL restart: check it before reusing it (see base.py).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_TRANSPORT_OPTIONS
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Production runs behind a TLS-terminating proxy (compose publishes gunicorn on loopback only).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": TRUSTED_PROXY_COUNT}
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SITE_URL = env("SITE_URL")
# The links under messenger notices: the public address, which is SITE_URL unless told apart.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default=SITE_URL)
# Channel credentials are encrypted with it; a Fernet key: Fernet.generate_key().
CHANNEL_CREDENTIALS_KEY = env("CHANNEL_CREDENTIALS_KEY")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

# Static files straight from gunicorn, compressed and cache-busted: WhiteNoise right after
# SecurityMiddleware (its documentation), serving the .gz and .br files collectstatic writes.
# Pages gzipped, above every middleware that reads or writes the body (Django's documentation).
# Safe from BREACH: Django pads each gzipped response with ≤100 random bytes and masks CSRF tokens.
MIDDLEWARE = [
    MIDDLEWARE[0],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    *MIDDLEWARE[1:],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)

# Login throttling counts attempts in the cache: share it between gunicorn workers. Short
# timeouts: while Redis is unreachable the throttle counts in memory (login_throttle), and a
# Redis that does not answer must not hold a login for long before it does.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}
