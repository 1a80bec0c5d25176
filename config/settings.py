"""Mutua settings, read from the environment (12-factor).

``MUTUA_ENV`` selects the mode:

* ``development`` (the default, used by ``make run``): SQLite file, Huey on SQLite,
  e-mails written to ``var/mail``. Convenient defaults exist only in this mode.
* ``test``: the test suite; fast hashing, tasks run in-process.
* ``production``: every secret and address must come from the environment, or the
  process refuses to start (see ``_require_production_settings``).
"""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

MUTUA_ENV = env.str("MUTUA_ENV", default="development")
if MUTUA_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"MUTUA_ENV must be development, test or production, not {MUTUA_ENV!r}.")
IS_PRODUCTION = MUTUA_ENV == "production"
VAR_DIR = Path(env.str("MUTUA_VAR_DIR", default=str(BASE_DIR / "var")))


def _development_key(name: str, generate: Callable[[], str]) -> str:
    """A per-checkout random key, kept in var/ so that it survives a restart."""
    key_file = VAR_DIR / name
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(generate())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _require_production_settings() -> None:
    missing = [
        name
        for name in (
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "FIELD_ENCRYPTION_KEYS",
            "SEARCH_HASH_KEY",
            "SITE_URL",
        )
        if not env.str(name, default="")
    ]
    if missing:
        raise ImproperlyConfigured(
            "Production mode refuses to start without these environment variables: " + ", ".join(missing)
        )
    key = env.str("SECRET_KEY")
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak for production: use at least 50 random characters "
            "(python -c 'from django.core.management.utils import get_random_secret_key as k; print(k())')."
        )


# Identifiers such as the NIR are encrypted at rest with FIELD_ENCRYPTION_KEYS (Fernet keys,
# newest first: older ones only decrypt, for rotation) and found through a keyed hash made
# with SEARCH_HASH_KEY.
if IS_PRODUCTION:
    _require_production_settings()
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS")
    SEARCH_HASH_KEY = env.str("SEARCH_HASH_KEY")
    DEBUG = False
else:
    SECRET_KEY = env.str("SECRET_KEY", default="") or _development_key("secret_key", get_random_secret_key)
    FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[]) or [
        _development_key("field_key", _fernet_key)
    ]
    SEARCH_HASH_KEY = env.str("SEARCH_HASH_KEY", default="") or _development_key("search_key", get_random_secret_key)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
    DEBUG = env.bool("DEBUG", default=False)

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address in links sent by e-mail. Never taken from a request's Host header in production.
SITE_URL = env.str("SITE_URL", default="")

# --- Applications -----------------------------------------------------------------------

INSTALLED_APPS = [
    "mutua.core.apps.MutuaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "huey.contrib.djhuey",
    "auditlog",
    "mutua.core",
    "mutua.contracts",
    "mutua.accounts",
    "mutua.support",
    "mutua.cards",
    "mutua.documents",
    "mutua.notifications",
    "mutua.approvals",
    "mutua.benefits",
    "mutua.claims",
    "mutua.payments",
    "mutua.teletransmission",
    "mutua.quotes",
    "mutua.providers",
    "mutua.guarantees",
    "mutua.capital",
    "mutua.conversations",
    "mutua.api",
    "mutua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mutua.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "mutua.core.middleware.MemberTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mutua.core.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------

if IS_PRODUCTION:
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mutua.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes. IMMEDIATE transactions
    # take the write lock at BEGIN, so that two processes wait for each other (timeout) instead
    # of failing with "database is locked" when a reading transaction tries to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Account-activation and password-reset links are single use (they are bound to the
# password hash) and expire after 24 hours.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
# At most this many account e-mails (activation, reset) per member and hour, so that nobody
# can flood a member's mailbox through the public forms.
ACCOUNT_EMAILS_PER_HOUR = env.int("ACCOUNT_EMAILS_PER_HOUR", default=3)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"

# Brute-force protection (mutua.accounts.lockouts): repeated failures lock a login at one
# address; an address is throttled, more loosely, across every login except staff's.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "mutua.accounts.lockouts.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "mutua.accounts.views.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Reverse proxies in front (load balancer…): the client's address is then read from
# X-Forwarded-For, as the first of these proxies saw it (mutua.accounts.lockouts.client_address).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "mutua.accounts.lockouts.client_address"

# Sessions: 15 minutes of inactivity, and never more than an absolute lifetime. The
# inactivity limit is checked by SessionTimeoutMiddleware (which tells the person why);
# the stored session itself expires at the absolute limit.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=15 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=8 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers ----------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Internationalisation ------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English")), ("es", _("Spanish")), ("ar", _("Arabic"))]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "mutua" / "locale"]
# English dates as read in Europe (en-GB), and ISO values in every <input type="date">.
FORMAT_MODULE_PATH = ["mutua.core.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if MUTUA_ENV == "test"
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded documents: never served from a public URL (no MEDIA_URL route), only through a
# view that checks who asks.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
DOCUMENT_MAX_PIXELS = env.int("DOCUMENT_MAX_PIXELS", default=25_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A claim item carries at most 5 documents: nothing legitimate is larger than this.
MAX_UPLOAD_REQUEST_BYTES = env.int("MAX_UPLOAD_REQUEST_BYTES", default=6 * DOCUMENT_MAX_BYTES)
FILE_UPLOAD_HANDLERS = [
    "mutua.core.uploads.RequestSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- E-mail --------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mutua <no-reply@mutua.localhost>")
SUPPORT_INBOX_EMAIL = env.str("SUPPORT_INBOX_EMAIL", default="")
if IS_PRODUCTION:
    vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
elif MUTUA_ENV == "test":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Redis (scaled out): the task queue and the quotas --------------------------------------
# Quotas (e-mails per hour, estimates per minute…) count in Redis when it is set, in the
# database otherwise (mutua.core.quotas): both are shared by every web process, and atomic.
# Nothing relies on Django's cache.

REDIS_URL = env.str("REDIS_URL", default="")

# --- Background tasks: django-tasks API, Huey underneath -----------------------------------
# Huey keeps its queue in an SQLite file in the embedded mode, in Redis when REDIS_URL is set.

QUEUE_NAME = env.str("QUEUE_NAME", default="mutua")
if MUTUA_ENV == "test":
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "mutua-test", "immediate": True}
elif REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": QUEUE_NAME, "url": REDIS_URL}
else:
    HUEY = {"huey_class": "huey.SqliteHuey", "name": QUEUE_NAME, "filename": str(VAR_DIR / "huey.sqlite3")}
HUEY["consumer"] = {"workers": env.int("WORKER_THREADS", default=2), "worker_type": "thread"}
TASKS = {"default": {"BACKEND": "mutua.core.task_backend.HueyTaskBackend"}}

# --- Logging -------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
}

if MUTUA_ENV == "test":
    # Still Argon2, with a cost small enough for a suite that creates many accounts.
    PASSWORD_HASHERS = ["mutua.core.hashers.LightArgon2PasswordHasher"]

# Every change of a household's file is kept (django-auditlog); identifiers only masked.
AUDITLOG_MASK_CALLABLE = "mutua.core.crypto.mask_identifier"

# --- Claims (seed 002 and the management unit's own rules) ----------------------------------

CLAIMS_TERMS_VERSION = "2026-11"
CLAIMS_MAX_ITEMS = 10
CLAIMS_MAX_DOCUMENTS_PER_ITEM = 5
CLAIMS_ONLINE_LIMIT_EUR = 500  # bills of this amount or more go by post
# Which care goes by post or to a handler is the plan's data (its sections' by_post and review).
# Decided without a human when every check passes; otherwise a handler reviews.
CLAIMS_AUTO_MAX_EUR = env.int("CLAIMS_AUTO_MAX_EUR", default=200)
CLAIMS_SUSPENSION_REJECTIONS = env.int("CLAIMS_SUSPENSION_REJECTIONS", default=3)  # within 12 months

# --- Payments: the account reimbursements are paid from (SEPA debtor) ------------------------

PAYMENTS_DEBTOR_NAME = env.str("PAYMENTS_DEBTOR_NAME", default="Mutua Prevoyance")
PAYMENTS_DEBTOR_IBAN = env.str("PAYMENTS_DEBTOR_IBAN", default="FR7630006000011234567890189")
PAYMENTS_DEBTOR_BIC = env.str("PAYMENTS_DEBTOR_BIC", default="AGRIFRPP")
PAYMENTS_NIGHTLY_HOUR = env.int("PAYMENTS_NIGHTLY_HOUR", default=2)

# --- Exchange rates: the ECB's reference rates, fetched every working day (mutua/core/rates.py) ----------

ECB_RATES_URL = env.str("ECB_RATES_URL", default="https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip")
# The suite converts with the package's file only, whatever a developer's var/ fetched: its results stay fixed.
ECB_RATES_FILE = env.str("ECB_RATES_FILE", default="" if MUTUA_ENV == "test" else str(VAR_DIR / "ecb-rates.zip"))
ECB_RATES_HOUR = env.int("ECB_RATES_HOUR", default=17)  # local time: the ECB publishes at about 16:00 CET

# --- Teletransmission (AM statement files, docs/teletransmission.md) ------------------------

# Lines per chunk: one transaction of one worker; an insured's lines are never split.
TELETRANSMISSION_CHUNK_LINES = env.int("TELETRANSMISSION_CHUNK_LINES", default=2000)
# Background tasks queued per file, so that this many workers share its chunks.
TELETRANSMISSION_WORKERS = env.int("TELETRANSMISSION_WORKERS", default=2)
# Through the back office (larger files: ``mutua import-am FILE``); within MAX_UPLOAD_REQUEST_BYTES.
TELETRANSMISSION_MAX_FILE_BYTES = min(
    env.int("TELETRANSMISSION_MAX_FILE_MB", default=50) * 2**20, MAX_UPLOAD_REQUEST_BYTES - 2**16
)
# A file with chunks left and no progress for this long gets its workers queued again.
TELETRANSMISSION_STALLED_MINUTES = env.int("TELETRANSMISSION_STALLED_MINUTES", default=10)

# Hospital guarantees of payment. The card and letter days, a network hospital's answer time and the
# limits of automatic issue are each plan's data (its `hospital:` section); these are deployment choices.
GUARANTEES_OTHER_ANSWER_HOURS = env.int("GUARANTEES_OTHER_ANSWER_HOURS", default=24)  # ours: negotiation first
# An issued guarantee whose period ended this long ago without an invoice is closed.
GUARANTEES_INVOICE_DAYS = env.int("GUARANTEES_INVOICE_DAYS", default=180)

# --- Complaints (seed 001): after the management unit's answer, the quality cell; as a last resort, the mediator ---

# The quality cell is told (reference only) when a member takes a complaint to it; empty: nobody is e-mailed.
COMPLAINTS_QUALITY_EMAIL = env.str("COMPLAINTS_QUALITY_EMAIL", default="")
# The insurer's mediator, shown to the member once the quality cell has answered.
MEDIATOR_NAME = env.str("MEDIATOR_NAME", default="La Médiation de l'Assurance")
MEDIATOR_URL = env.str("MEDIATOR_URL", default="https://www.mediation-assurance.org")

# --- Mutua ---------------------------------------------------------------------------------

# The "light version": the portal never loads anything from another origin.
MUTUA_SITE_NAME = env.str("MUTUA_SITE_NAME", default="Mutua")
OTP_TOTP_ISSUER = MUTUA_SITE_NAME
