"""Settings shared by every environment; the environment files only override."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"


class StrictEnv(environ.Env):
    """django-environ reads any unknown word as False, so SECURE_SSL_REDIRECT=Ture would quietly
    turn a security setting off: here a boolean is one of the words below or an error."""

    TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
    FALSE_WORDS = frozenset({"false", "no", "off", "0"})

    def bool(self, var, default=environ.Env.NOTSET):
        if var not in self.ENVIRON:
            return super().bool(var, default=default)
        word = self.ENVIRON[var].strip().lower()
        if word in self.TRUE_WORDS | self.FALSE_WORDS:
            return word in self.TRUE_WORDS
        raise ImproperlyConfigured(
            f"{var}={self.ENVIRON[var]!r} is not a boolean: use true or false "
            "(yes/no, on/off, 1/0)."
        )


env = StrictEnv()
# A .env written for docker compose names hosts that exist only inside compose; read it only
# when asked, so it cannot silently redirect `make run` or `make test` in the same checkout.
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# SECRET_KEY has no default here: local.py gives the embedded default its insecure key, test.py
# its fixed one, and production.py requires it, so no deployment can run on a published key.
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # The admin site, unscoped (bmp_comms.admin_site).
    "bmp_comms.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "csp",
    "bmp_comms",
    "communes",
    "notifications",
    "groups",
    "deadlines",
    "bulletins",
    "public",
    "dashboard",
    "messenger",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bmp_comms.middleware.CookieOnlyLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "bmp_comms.urls"
WSGI_APPLICATION = "bmp_comms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bmp_comms.context_processors.user_scope",
                "communes.context_processors.unit_words",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"].get("CONN_MAX_AGE", 0) != 0:  # kept between requests (None: for ever)
    # A kept connection dies with a PostgreSQL restart: check it before reusing it, or the
    # next request on each worker fails with "server closed the connection".
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The dashboard's queries are short; PostgreSQL's JIT spends longer compiling them than
    # running them (measured by `make bench`: 3.0 s → 1.8 s at national scale).
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Worker, beat and web write at once: WAL lets readers go on, IMMEDIATE takes the write
    # lock at BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese is the default whatever the browser says; English only when the user picks it.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# Numbers as each language writes them (21.814 in Vietnamese, 21,814 in English) on every page,
# email and export: the templates group every number they print, and identifiers (ids in links
# and attributes, years, input values) go through |unlocalize. bmp_comms/formats adds the
# grouping that Django's vi formats lack.
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["bmp_comms.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# Reverse proxies in front of the app: only they may say who the client is (X-Forwarded-For)
# and whether it came over https (X-Forwarded-Proto).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous client gets 401 with WWW-Authenticate, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["bmp_comms.api.FilterBackend"],
    # bmp_comms.parsers.JSONParser: deep nesting is a 400, not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "bmp_comms.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "bmp_comms.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": env("LOGIN_THROTTLE_RATE", default="10/min")},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DATE_FORMAT": "%Y-%m-%d",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d", "%d/%m/%Y"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "bmp_comms API",
    "DESCRIPTION": "Official news groups of the villages: groups, counts, bulletins, reports.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # A third set of choices named `platform` (a messenger's): named here, not by a hash.
    # Several models have a `kind`: each choice set gets a name of its own.
    "ENUM_NAME_OVERRIDES": {
        "MessengerPlatformEnum": "messenger.models.MessengerPlatform",
        "TopUnitKindEnum": "communes.kinds.TopUnitKind",
        "CommuneKindEnum": "communes.kinds.CommuneKind",
        "VillageKindEnum": "communes.kinds.VillageKind",
        "NotificationKindEnum": "notifications.models.NotificationKind",
        "ReportKindEnum": "reports.models.ReportKind",
        "ReminderKindEnum": "deadlines.schedule.ReminderKind",
    },
    # Every error the API answers is documented too (400, 401, 403, 404, 429).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "bmp_comms.schema.error_responses",
    ],
}

# Celery: the broker needs no server unless REDIS_URL says otherwise (see local.py).
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
# Publishing a task (the web, a command, a task queueing another) never waits for a broker that
# is down: one connection attempt of at most 3 s, no retry, and the caller keeps its row in the
# database to queue it again later (an outbox, e.g. deadlines.reminders.queue_reminder_email).
# Without `max_retries` kombu retries until the connect timeout has passed (6 s, measured).
REDIS_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 3}
CELERY_BROKER_TRANSPORT_OPTIONS = (
    REDIS_TRANSPORT_OPTIONS
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker" / "out"),
        "data_folder_out": str(VAR_DIR / "broker" / "out"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "store_processed": False,
    }
)
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY = False
# The worker and beat (only they read these three) wait for a broker that is down or went away
# for as long as it takes, trying again after 2, 4, 6 … then every 30 s (kombu's backoff), and
# carry on with the queued work when it is back, instead of exiting.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A broker that breaks off mid-answer can leave the worker reading a reply that is not Redis's
# protocol: kombu calls that a channel error, and without this the worker ends as on an
# unrecoverable error instead of connecting again.
CELERY_BROKER_CHANNEL_ERROR_RETRY = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# No task may hold a worker for ever (a hung mail or channel server, a stuck query): the soft
# limit raises SoftTimeLimitExceeded inside the task so it can release its claim and be retried,
# and the hard limit a minute later kills the worker process.
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Every periodic job is declared here, and only here.
CELERY_BEAT_SCHEDULE: dict = {
    # 07:00 Asia/Ho_Chi_Minh (CELERY_TIMEZONE), every day: the reminders of the local day reach
    # the communes as their offices open, and a day's reminders are those of the local date.
    "reports-send-due-reminders": {
        "task": "reports.tasks.send_due_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every minute: a bulletin scheduled for HH:MM goes out within a minute of it, and a
    # delivery waiting on a retry (Telegram's retry_after, a 5xx backoff) or left claimed by a
    # worker that died is taken up again soon after it is due.
    "bulletins-publish-due": {
        "task": "bulletins.tasks.publish_due_bulletins",
        "schedule": crontab(minute="*"),
    },
    "bulletins-send-due-deliveries": {
        "task": "bulletins.tasks.send_due_deliveries",
        "schedule": crontab(minute="*"),
    },
    # 06:00 Asia/Ho_Chi_Minh, every day: each Telegram group's member count of the day
    # (getChatMemberCount), recorded as a MemberCount before the offices open.
    "bulletins-record-member-counts": {
        "task": "bulletins.tasks.record_channel_member_counts",
        "schedule": crontab(hour=6, minute=0),
    },
    # 08:00 Asia/Ho_Chi_Minh, every day: an author whose posts have awaited confirmation for more
    # than 24 hours is told so once that local day (docs/rules.md#notifications, event
    # `posts_waiting:<date>`, so a second run the same day tells nobody twice), an hour after the
    # reminders, as the offices open.
    "bulletins-notify-posts-waiting": {
        "task": "bulletins.tasks.notify_posts_waiting",
        "schedule": crontab(hour=8, minute=0),
    },
    # Every minute: the notices' emails whose task was lost (the broker was down when they were
    # queued) or whose backoff has run out are queued again, and an email claimed by a worker
    # that died (its claim older than notifications.outbox.STALE_CLAIM, 6 minutes) is taken up
    # again, so nothing stays stuck in `sending`.
    "notifications-sweep-emails": {
        "task": "notifications.tasks.sweep_notification_emails",
        "schedule": crontab(minute="*"),
    },
    # 00:30 Asia/Ho_Chi_Minh, every day: the communes' snapshots of the day just ended (and of
    # any recent day some commune lacks), so the dashboard's series reads them instead of
    # computing a dozen past dates from the counts (dashboard.snapshots).
    "reports-fill-nightly-snapshots": {
        "task": "reports.dashboard.tasks.fill_nightly_snapshots",
        "schedule": crontab(hour=0, minute=30),
    },
    # Every minute: a compliance report whose worker died (its heartbeat older than
    # REPORT_STALE_AFTER, 4 minutes) or whose message was lost is compiled again by itself,
    # under the same number, within five minutes of its last sign of life.
    "reports-recover-stalled": {
        "task": "reports.tasks.recover_stalled_reports",
        "schedule": crontab(minute="*"),
    },
    # Every minute: the top unit's notification bots read what people sent them (getUpdates),
    # so a person who pressed Start on a link is linked, and told so, within a minute; the
    # link's code lives 30 minutes.
    "messenger-poll-updates": {
        "task": "messenger.tasks.poll_updates",
        "schedule": crontab(minute="*"),
    },
    # Every minute: direct messages whose retry is due (Telegram's retry_after, a 5xx backoff)
    # or whose sender died, and notices of the last day that a linked person was not sent
    # (their task was lost, the broker was down), each at most once per chat.
    "messenger-send-due-direct-messages": {
        "task": "messenger.tasks.send_due_direct_messages",
        "schedule": crontab(minute="*"),
    },
    # Mondays 07:00 Asia/Ho_Chi_Minh: the week's compliance report of every district (PDF and
    # XLSX, figures as of that Monday) is in the archive when the office opens (D11); the same
    # run queues again the reports a dead worker or a lost message left behind.
    "reports-compile-weekly-compliance": {
        "task": "reports.compliance.tasks.compile_weekly_reports",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="bmp-comms@localhost")
# Seconds an SMTP connection may wait for the server; without it smtplib waits for ever, and a
# mail server that accepts connections but never answers pins a worker until its time limit.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10.0)

# Content security policy: everything is served from this origin, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
LANGUAGE_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# Channels (docs/rules.md#telegram): the platforms' base URLs, so tests and staging point them at a
# local server; the key that encrypts channel credentials at rest (required in production).
TELEGRAM_API_BASE = env("TELEGRAM_API_BASE", default="https://api.telegram.org")
ZALO_API_BASE = env("ZALO_API_BASE", default="https://openapi.zalo.me")
ZALO_OAUTH_BASE = env("ZALO_OAUTH_BASE", default="https://oauth.zaloapp.com")
# The top unit's Zalo Bot (docs/rules.md#notification-bot): Telegram's Bot API at this address.
ZALO_BOT_API_BASE = env("ZALO_BOT_API_BASE", default="https://bot-api.zaloplatforms.com")
CHANNEL_CREDENTIALS_KEY = env("CHANNEL_CREDENTIALS_KEY", default="")

# How often an open page asks for its bell's count of unread notices (notifications.views).
NOTIFICATION_BELL_POLL_SECONDS = 30

DEMO_PASSWORD = env("DEMO_PASSWORD", default="bgm-demo-2021")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Where residents and officers reach the site from outside (docs/rules.md#public-channel):
# every delivered message ends with `Xác thực: <PUBLIC_BASE_URL>/v/<code>/`, and the link under a
# notice sent to a messenger (messenger.sending) is this plus the notice's path.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

_ = crontab  # beat entries are added by the apps that own the jobs, in this module
