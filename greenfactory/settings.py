"""Settings, read from the environment (django-environ).

Every variable is listed with its default in README.md ("Configuration"). A bad value fails at start-up.
With nothing set the portal runs on a SQLite file and an embedded (filesystem) Celery broker under ``var/``.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_INSECURE_DEV_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The demo accounts and their shared password exist for trying the portal; they are refused when debug is off.
DEMO_LOGIN_ENABLED = env.bool("DEMO_LOGIN_ENABLED", default=DEBUG)
# With debug on, a 404 still shows the portal's page; a developer may ask for Django's technical page instead.
TECHNICAL_404 = env.bool("DJANGO_TECHNICAL_404", default=False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_fsm_log",
    "greenfactory",
    "accounts",
    "applications",
    "evaluation",
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "greenfactory.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "greenfactory.middleware.SessionRenewalMiddleware",
    "greenfactory.middleware.PortalLocaleMiddleware",
    "greenfactory.middleware.NulByteMiddleware",
    "greenfactory.middleware.AccessDeniedAuditMiddleware",
    "greenfactory.middleware.NoStoreMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "greenfactory.middleware.ShellChangeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.AccountStateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "greenfactory.not_found.PortalNotFoundMiddleware",
    "greenfactory.middleware.TransitionConflictMiddleware",
    "greenfactory.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "greenfactory.urls"
WSGI_APPLICATION = "greenfactory.wsgi.application"

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
                "greenfactory.context_processors.portal",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the Celery worker use the file at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (axes counts failures in the database; the cache is for everything else) -------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "greenfactory.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts and sessions -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.backends.PortalModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=10)
# GB/T 22239 asks for complexity: how many of the four classes (upper, lower, digit, symbol) a password must use.
PASSWORD_MIN_CHARACTER_CLASSES = env.int("PASSWORD_MIN_CHARACTER_CLASSES", default=3)
# Days after which a password must be changed; 0 switches expiry off.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "accounts.validators.CommonPasswordValidator"},
    {"NAME": "accounts.validators.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator",
     "OPTIONS": {"min_classes": PASSWORD_MIN_CHARACTER_CLASSES}},
]

# Idle timeout: the session lives SESSION_IDLE_TIMEOUT seconds after the last request. Its expiry is moved (the
# session written) at most once every SESSION_RENEW_AFTER seconds (greenfactory.middleware.SessionRenewalMiddleware),
# not on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_RENEW_AFTER = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)
# The navigation's to-do counts and unread messages are kept per user for at most this many seconds, and dropped
# sooner by any transition, message or posted form (greenfactory.portal.shell_counts_for); 0 counts on every request.
# Only with a shared cache: the memory cache of one process would not see another process's changes.
PORTAL_SHELL_CACHE_SECONDS = env.int("PORTAL_SHELL_CACHE_SECONDS", default=60 if REDIS_URL else 0)

AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_LOCKOUT_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Reverse proxies in front: they give the client's address (X-Forwarded-For) and the request id (X-Request-ID); with
# none, both headers come from the client and are not believed.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Enterprise self-registration: registrations per client IP (django-ratelimit, counted in the default cache — Redis
# in production, so every web process shares the count) and how long the e-mailed confirmation link stays valid.
REGISTRATION_RATE = env.str("REGISTRATION_RATE", default="5/h")
# Objections to a public notice (第十一条) per client IP (the same cache): enough for a person, not for a flood.
OBJECTION_RATE = env.str("OBJECTION_RATE", default="5/h")
REGISTRATION_LINK_MAX_AGE = env.int("REGISTRATION_LINK_HOURS", default=48) * 3600
# Password-reset requests per client IP and per address (the same cache), whether the address has an account or not.
PASSWORD_RESET_RATE_PER_IP = env.str("PASSWORD_RESET_RATE_PER_IP", default="10/h")
PASSWORD_RESET_RATE_PER_ADDRESS = env.str("PASSWORD_RESET_RATE_PER_ADDRESS", default="3/h")
RATELIMIT_USE_CACHE = "default"

# --- Internationalisation ------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
# locale/ first (makemessages writes there); locale_vendor/ translates third-party apps that ship no Chinese.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
AWS_STORAGE_BUCKET_NAME = env.str("S3_BUCKET", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env.str("S3_ENDPOINT_URL", default=None)
    AWS_ACCESS_KEY_ID = env.str("S3_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env.str("S3_SECRET_ACCESS_KEY", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True

# --- E-mail --------------------------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="绿色工厂培育与认定平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

# --- Celery --------------------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "filesystem://"
CELERY_FILESYSTEM_BROKER_DIR = Path(env.str("CELERY_FILESYSTEM_BROKER_DIR", default=str(VAR_DIR / "celery")))
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FILESYSTEM_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_FILESYSTEM_BROKER_DIR / "queue"),
        "data_folder_processed": str(CELERY_FILESYSTEM_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_FILESYSTEM_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # The filesystem transport needs its folders before a worker or a producer starts.
    for _folder in ("queue", "processed", "control"):
        (CELERY_FILESYSTEM_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "reminders-every-15-minutes": {"task": "accounts.tasks.run_reminders", "schedule": 15 * 60},
}

# --- Portal rules --------------------------------------------------------------------------------------------------
# Working days a registration may wait before the district officials are reminded (and reminded again).
REGISTRATION_REMINDER_WORKING_DAYS = env.list("REGISTRATION_REMINDER_WORKING_DAYS", cast=int, default=[3, 5])
# Every clock (accounts.models.Deadline) reminds whoever's turn it is with this many working days left (then once
# when overdue), and is chased to the supervising level once it is overdue by DEADLINE_ESCALATION_WORKING_DAYS.
DEADLINE_REMINDER_WORKING_DAYS = env.list("DEADLINE_REMINDER_WORKING_DAYS", cast=int, default=[5, 2, 1])
DEADLINE_ESCALATION_WORKING_DAYS = env.int("DEADLINE_ESCALATION_WORKING_DAYS", default=2)
if not REGISTRATION_REMINDER_WORKING_DAYS or min(REGISTRATION_REMINDER_WORKING_DAYS) < 1 \
        or min(DEADLINE_REMINDER_WORKING_DAYS, default=0) < 0 or DEADLINE_ESCALATION_WORKING_DAYS < 0:
    raise ImproperlyConfigured("REGISTRATION_REMINDER_WORKING_DAYS needs one or more positive numbers; "
                               "DEADLINE_REMINDER_WORKING_DAYS and DEADLINE_ESCALATION_WORKING_DAYS no negative one.")
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# --- Forms ---------------------------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security headers ----------------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "greenfactory.views.csrf_failure"
# Writes the audit record of a refused request (403, 404 on a record's URL, CSRF failure); see greenfactory.middleware.
ACCESS_DENIED_RECORDER = "accounts.audit.access_denied_record"
# Writes the audit record of a stored document's upload, download or refused download; see greenfactory.uploads.
DOCUMENT_EVENT_RECORDER = "accounts.audit.document_event_record"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks come from the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

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
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Logging -------------------------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "greenfactory.middleware.RequestIdLogFilter"},
                "refusal_one_line": {"()": "greenfactory.middleware.RefusalLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # A refused request (403, 404, 400) is one line: Django would attach the whole traceback of the Http404 or
    # PermissionDenied, and a probe sends thousands. The audit trail holds the refusal (AccessDeniedAuditMiddleware).
    "loggers": {"django.request": {"filters": ["refusal_one_line"]},
                "django.security": {"filters": ["refusal_one_line"]},
                "django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
