"""Settings for the inspection service, read from the environment.

With nothing set the app runs for development: SQLite beside the code, Celery
tasks run in-process, emails written to files. ``DATABASE_URL`` and
``CELERY_BROKER_URL`` switch to PostgreSQL and Redis. ``DJANGO_ENV=production``
refuses to start without ``SECRET_KEY`` and turns on every deploy check.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_int, env_list, env_str
from config.storage import default_storage_config, storage_backend

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = env_choice("DJANGO_ENV", "development", ("development", "test", "production"))
PRODUCTION = DJANGO_ENV == "production"

_secret = env_str("SECRET_KEY")
if PRODUCTION and (not _secret or len(_secret) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DJANGO_ENV=production"
    )
SECRET_KEY = _secret or "django-insecure-development-only-key-never-used-in-production-0123456789"

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when DJANGO_ENV=production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crispy_forms",
    "crispy_forms_gds",
    "django_htmx",
    "csp",
    "inspections",
    "casework",
    "scheduling",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.logs.RequestIdMiddleware",
    "inspections.middleware.PrivateResponsesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sets request.user.otp_device / is_verified() from the session, as its documentation asks.
    "django_otp.middleware.OTPMiddleware",
    # A recorded language preference chooses the interface's language until the switch is used.
    "inspections.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "inspections.middleware.LoginRequiredEverywhereMiddleware",
    "inspections.middleware.SessionTimeoutMiddleware",
    "inspections.middleware.TwoFactorRequiredMiddleware",
    # Axes last, as its documentation asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Whitenoise serves the collected static files in production; in development
    # runserver and the test live server serve them from static/.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "inspections.accounts.two_factor.template_context",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database -------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        # Health checks: a connection kept from before a database restart is tested and replaced
        # before use, so the first request afterwards does not fail (issue 15 §6).
        DATABASES = {
            "default": dj_database_url.parse(
                DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
            )
        }
    except ValueError as exc:  # dj-database-url raises ValueError for unknown schemes
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Django understands: {exc}") from None
elif PRODUCTION:
    raise ImproperlyConfigured("DATABASE_URL must be set when DJANGO_ENV=production")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------
AUTH_USER_MODEL = "inspections.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# An invitation link works once, for this many days (issue 9 §1).
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7, minimum=1)
# Password reset links: one day (Django's default is three).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 24 * 60 * 60, minimum=300)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inspections:home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins: five tries per username and address, then a one-hour lock.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1, minimum=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Two-factor sign-in (issue 11 §5): after the password, a code from an authenticator app (TOTP)
# or one of ten recovery codes, before any other page. On by default in production only.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = "HMI Probation inspections"
# Wrong codes: each device then refuses for 1, 2, 4, 8 ... seconds (django-otp's ThrottlingMixin).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The Django admin lists devices: never show their secret keys there.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded and generated files: on local disk (the default) or in an S3-compatible bucket, always
# through the storage API (config/storage.py; issue 11 §2).
STORAGE_BACKEND = storage_backend()
STORAGES = {
    "default": default_storage_config(),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads (Information in Advance, long-lists): refused above this size, in megabytes.
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Email ------------------------------------------------------------------
# The address of the service as people reach it: every link in an email starts with it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
if PRODUCTION and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be the service's https:// address when DJANGO_ENV=production")
# EMAIL_PROVIDER picks how email leaves: "file" (the default: files in sent_emails/), "smtp",
# or "notify" (GOV.UK Notify, with GOVUK_NOTIFY_API_KEY and a plain-text template whose
# personalisation is ((subject)) and ((body)): GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID).
EMAIL_PROVIDER = env_choice("EMAIL_PROVIDER", "file", ("file", "smtp", "notify"))
GOVUK_NOTIFY_API_KEY = env_str("GOVUK_NOTIFY_API_KEY", "")
GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = env_str("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID", "")
GOVUK_NOTIFY_BASE_URL = env_str("GOVUK_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
if EMAIL_PROVIDER == "notify" and not (GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID):
    raise ImproperlyConfigured(
        "EMAIL_PROVIDER=notify needs GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID"
    )
_EMAIL_BACKENDS = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "notify": "inspections.mail.NotifyEmailBackend",
}
EMAIL_BACKEND = env_str("EMAIL_BACKEND", _EMAIL_BACKENDS[EMAIL_PROVIDER])
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent_emails")))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# An email that cannot be handed over is tried this many times in all, waiting
# NOTIFICATION_RETRY_SECONDS, then twice as long each time (at most an hour), then shown as not sent.
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 6, minimum=1)
NOTIFICATION_RETRY_SECONDS = env_int("NOTIFICATION_RETRY_SECONDS", 30, minimum=0)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "HMI Probation inspections <inspections@hmiprobation.example>")

# --- Celery -----------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL is None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", None)
CELERY_TASK_ACKS_LATE = True
# Integration tests give each real worker a queue of its own, so the tasks it enqueues stay with it.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Workers log through Django's LOGGING (JSON with the request id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)}
# Periodic work (issue 9 §3): `celery -A config beat` in production; `manage.py run_periodic`
# runs the same schedule in-process for `make run`.
REMINDER_INTERVAL_SECONDS = env_int("REMINDER_INTERVAL_SECONDS", 900, minimum=10)
CELERY_BEAT_SCHEDULE = {
    "reminders": {"task": "inspections.send_reminders", "schedule": float(REMINDER_INTERVAL_SECONDS)},
    "emails": {"task": "inspections.sweep_notifications", "schedule": 300.0},
    "report_jobs": {"task": "reports.sweep_jobs", "schedule": 60.0},
    "schedule_builds": {"task": "scheduling.sweep_solve_jobs", "schedule": 60.0},
    "retention": {"task": "casework.anonymise_due", "schedule": 24 * 60 * 60.0},
    "long_list_reads": {"task": "casework.sweep_long_list_reads", "schedule": 60.0},
}
# A long-list larger than this is read by a worker, with its progress shown, instead of during the
# upload request (issue 15 §2); a read queued this long unstarted, or silent this long while
# running, is sent to a worker again (casework/services/longlist_reads.py).
LONG_LIST_BACKGROUND_BYTES = env_int("LONG_LIST_BACKGROUND_BYTES", 512 * 1024, minimum=0)
LONG_LIST_READ_QUEUED_SECONDS = env_int("LONG_LIST_READ_QUEUED_SECONDS", 120, minimum=1)
LONG_LIST_READ_STALE_SECONDS = env_int("LONG_LIST_READ_STALE_SECONDS", 120, minimum=5)
# Days after publication until the children's names and dates of birth are removed. The rulebook
# names no period (records are "destroyed ... once they are no longer needed"): a year is our
# reading, see docs/rulebook.md and casework/retention.py.
RETENTION_DAYS = env_int("RETENTION_DAYS", 365, minimum=1)

# --- Security -----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# A session ends 8 hours after sign-in whatever happens (absolute), and after 30 minutes without a
# request (idle): children's data on an unattended screen (issue 15 §6).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", True) else None

# No inline scripts or styles anywhere, so a strict policy holds.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "inspections.logging.OneLineRefusals"}},
    # One JSON object per line in production (LOG_FORMAT=json), short text lines in development; both
    # carry the request id (config/logs.py).
    "formatters": {"json": {"()": "config.logs.json_formatter"}, "text": {"()": "config.logs.text_formatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_choice("LOG_FORMAT", "json" if PRODUCTION else "text", ("json", "text")),
        }
    },
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))},
}

# /readyz: how long each check (database, migrations, broker, storage) may take before it counts as failed.
READINESS_CHECK_SECONDS = env_int("READINESS_CHECK_SECONDS", 2, minimum=1)

# How many working days ahead a milestone counts as "due soon" on the timeline.
TIMELINE_DUE_SOON_WORKING_DAYS = env_int("TIMELINE_DUE_SOON_WORKING_DAYS", 2, minimum=0)

# The number that settles ties between equally good cases when the sample is selected (an operator
# setting, never asked on the page). Unset: a number fixed by the inspection's reference, so the same
# long-list and size always give the same sample. `manage.py select_sample --seed` tries others.
SAMPLE_TIE_BREAK_SEED = (
    env_int("SAMPLE_TIE_BREAK_SEED", 0, minimum=0) if env_str("SAMPLE_TIE_BREAK_SEED", None) is not None else None
)

# Optional error tracking (Sentry or compatible), off unless SENTRY_DSN is set; events carry no
# personal data (config/errors.py).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from config.errors import init_error_tracking

    init_error_tracking(
        dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", DJANGO_ENV), release=env_str("SENTRY_RELEASE")
    )

# django-axes prints a banner at start-up; it would corrupt the JSON of management commands.
AXES_VERBOSE = False
# Axes logs every sign-in at INFO; keep its own records in the database, not the console.
LOGGING["loggers"] = {
    "axes": {"level": "WARNING"},
    # A refusal is an expected answer, not an error: one line each, without a traceback.
    "django.request": {"filters": ["one_line_refusals"]},
    # WeasyPrint logs every fetched asset at INFO: noise in workers and command output.
    "weasyprint": {"level": "WARNING"},
    "fontTools": {"level": "WARNING"},
    # Eager tasks (development, tests) would log every run at INFO, and kombu warns that an eager
    # app has no broker host: neither helps anyone reading command output.
    "celery.app.trace": {"level": "WARNING"},
    "kombu.connection": {"level": "ERROR"},
}
