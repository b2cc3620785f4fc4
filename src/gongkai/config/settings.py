"""Django settings for gongkai.

Configuration comes from the environment (12-factor):

- ``DATABASE_URL``: PostgreSQL in production and in tests (``postgres://...``); when unset, an
  embedded SQLite file (``var/gongkai.sqlite3``) is used, which is what ``make demo`` runs on.
- ``REDIS_URL`` / ``CELERY_BROKER_URL``: Celery broker. ``CELERY_TASK_ALWAYS_EAGER=1`` runs tasks
  in-process (the demo and the tests).
- ``GONGKAI_SECRET_KEY`` (required: no default; ``make demo`` generates one per machine),
  ``GONGKAI_DEBUG`` (default off), ``GONGKAI_ALLOWED_HOSTS``; HTTPS, proxy, CSP, login and rate
  limit settings: see the "Security" block below and README → Production.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent  # src/gongkai
PROJECT_DIR = BASE_DIR.parent.parent  # repository root
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Production settings are the default: no secret key is built in and DEBUG is off.
SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY", "").strip()
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "GONGKAI_SECRET_KEY 未设置：请设置一个随机、保密的密钥后再启动（例如 "
        "export GONGKAI_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')）。"
        " GONGKAI_SECRET_KEY is not set: gongkai has no built-in secret key (README → Production);"
        " `make demo` generates one per machine."
    )
DEBUG = env_bool("GONGKAI_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # gongkai domain apps, one per concept
    "gongkai.agencies",  # 行政机关: agency tree, staff roles
    "gongkai.workdays",  # 工作日历: official calendar overrides
    "gongkai.applications",  # 依申请公开: applications and their workflow
    "gongkai.letters",  # 文书: reply and notice templates, generated documents
    "gongkai.proactive",  # 主动公开: Art. 20 counts (the document registry moved to records)
    "gongkai.records",  # 政府信息记录: disclosed documents, their lifecycle, Art. 26 clock, clean-up
    "gongkai.appeals",  # 行政复议、行政诉讼
    "gongkai.annual_reports",  # 年度报告
    "gongkai.report_import",  # 年报导入与审核
    "gongkai.search",  # 检索: search index and backends
    "gongkai.column",  # 政府信息公开专栏: public column pages, feeds, sitemap
    "gongkai.portal",  # public portal (公众门户)
    "gongkai.workbench",  # staff workbench (工作台)
    "gongkai.api",  # REST API
    "gongkai.demo",  # demo region generator
    "gongkai.ops",  # 运维: database roles, backup and restore
    "gongkai.security",  # 安全: client address, request guards, error pages, login protection
    "axes",  # login lockout per account and per address
    "django_otp",
    "django_otp.plugins.otp_totp",  # optional TOTP second factor
    "captcha",  # django-simple-captcha: asked past the portal's rate limits (offline images)
    "gongkai.pii",  # 个人信息检查: personal data found and redacted before publication
    "gongkai.interpretations",  # 政策解读: interpretations of policy documents, 三同步
    "gongkai.consultations",  # 意见征集: public consultation on drafts, moderation, feedback
    "gongkai.frequent",  # 条例第四十四条: frequent requests proposed for proactive disclosure
    "gongkai.qa",  # 问答 / 猜您想问: passages answering questions, anonymised query counts
    "gongkai.pagecache",  # 公开页面缓存: whole public pages, invalidated by any relevant write
]

MIDDLEWARE = [
    "gongkai.security.middleware.ClientAddressMiddleware",  # REMOTE_ADDR from trusted proxies first
    "django.middleware.security.SecurityMiddleware",
    "gongkai.api.middleware.ApiJsonErrorsMiddleware",  # errors under /api/ as JSON, never HTML pages
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files from each stateless app server
    "gongkai.security.middleware.RequestGuardMiddleware",  # body size cap, NUL in input, no-store
    "csp.middleware.CSPMiddleware",
    "gongkai.pagecache.middleware.PageCacheMiddleware",  # public pages; a hit skips what follows
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gongkai.security.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the Chinese page
]

ROOT_URLCONF = "gongkai.config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "gongkai.config.wsgi.application"

# Least privilege (gongkai.ops.dbroles): DATABASE_URL is the application's role; DATABASE_OWNER_URL,
# when set, the owner role that `gongkai migrate`, `db-roles`, `backup` and `restore` use (the
# console sets GONGKAI_DB_AS_OWNER for them). The app role's name is DATABASE_URL's user.
_DB_URL = os.environ.get("DATABASE_URL")
if os.environ.get("GONGKAI_DB_AS_OWNER") and os.environ.get("DATABASE_OWNER_URL"):
    _DB_URL = os.environ["DATABASE_OWNER_URL"]
GONGKAI_DB_APP_ROLE = os.environ.get("GONGKAI_DB_APP_ROLE") or (
    dj_database_url.parse(os.environ["DATABASE_URL"]).get("USER", "")
    if os.environ.get("DATABASE_OWNER_URL") and os.environ.get("DATABASE_URL")
    else ""
)
if _DB_URL:
    DATABASES = {"default": dj_database_url.parse(_DB_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "gongkai.sqlite3",
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # `gongkai collectstatic` fills it in production
WHITENOISE_USE_FINDERS = True  # app static files are served even before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("GONGKAI_MEDIA_ROOT", VAR_DIR / "media"))
# Files are never served from MEDIA_URL: views check access, then stream the file, or (when this
# names an internal nginx location such as "/_protected/") answer with X-Accel-Redirect (gongkai.files).
GONGKAI_X_ACCEL_REDIRECT = os.environ.get("GONGKAI_X_ACCEL_REDIRECT", "")

# Untrusted files (gongkai.limits): the parse's extra address space and wall-clock limit, and the
# age after which pending import items count as abandoned (recovered on worker start).
GONGKAI_PARSE_MEMORY_MB = int(os.environ.get("GONGKAI_PARSE_MEMORY_MB", "1024"))
GONGKAI_PARSE_TIMEOUT = float(os.environ.get("GONGKAI_PARSE_TIMEOUT", "180"))  # OCR of scanned reports
GONGKAI_IMPORT_STALE_MINUTES = float(os.environ.get("GONGKAI_IMPORT_STALE_MINUTES", "10"))

AUTHENTICATION_BACKENDS = [
    "gongkai.security.login.LockoutBackend",  # django-axes first: locked out means no password check
    "django.contrib.auth.backends.ModelBackend",
]
# Login lockout (django-axes, attempts kept in the database): per account and per client address.
# GONGKAI_LOGIN_LOCKOUT=0 switches it off (not for production; `make bench BENCH=login` compares).
AXES_ENABLED = env_bool("GONGKAI_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = env_int("GONGKAI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("GONGKAI_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "gongkai.security.login.client_ip"
AXES_LOCKOUT_CALLABLE = "gongkai.security.login.lockout_response"
AXES_VERBOSE = False
# TOTP second factor (django-otp): anyone may enrol at /workbench/security/totp/ and is then asked
# for the code at login; with GONGKAI_TOTP_REQUIRED=1 heads, agency admins and superusers must.
GONGKAI_TOTP_REQUIRED = env_bool("GONGKAI_TOTP_REQUIRED", False)
OTP_TOTP_ISSUER = os.environ.get("GONGKAI_TOTP_ISSUER", "政府信息公开平台")

LOGIN_URL = "/workbench/login/"
LOGIN_REDIRECT_URL = "/workbench/"

# Uploads (attachments to applications): size limit and accepted types.
GONGKAI_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
GONGKAI_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".txt": "text/plain",
}

# Government information records (政府信息记录). 索引号 pattern: gov.cn style issuer code / year-serial.
GONGKAI_RECORD_INDEX_PATTERN = os.environ.get(
    "GONGKAI_RECORD_INDEX_PATTERN", "{issuer_code}/{year}-{serial:05d}"
)
GONGKAI_RECORD_PUBLISH_WORKDAYS = 20  # Regulation Art. 26
GONGKAI_RECORD_DUE_SOON_WORKDAYS = 5  # staff queue: "due soon" window (not in the Regulation)
# Clean-up review cycle of documents in force (not fixed nationally; local rules say 2 years).
GONGKAI_RECORD_REVIEW_CYCLE_MONTHS = int(os.environ.get("GONGKAI_RECORD_REVIEW_CYCLE_MONTHS", "24"))
# Art. 18 re-assessment of withheld information: the Regulation says 定期 without a period.
# 政策解读 三同步: categories whose documents need an interpretation, and the working days after the
# document within which a non-simultaneous interpretation is on time (local practice; see README)
GONGKAI_INTERPRETATION_REQUIRED_CATEGORIES = ("normative", "policy")
GONGKAI_INTERPRETATION_WORKDAYS = int(os.environ.get("GONGKAI_INTERPRETATION_WORKDAYS", "3"))
# 意见征集 minimum periods (local practice; days counted from the first day of the period)
GONGKAI_CONSULTATION_MINIMUMS = {"rule_days": 30, "normative_workdays": 7, "market_days": 30, "other_days": 0}
# Art. 44 frequent requests: different applicants needed, TF-IDF cosine threshold, days compared
GONGKAI_FREQUENT_MIN_APPLICANTS = int(os.environ.get("GONGKAI_FREQUENT_MIN_APPLICANTS", "3"))
GONGKAI_FREQUENT_SIMILARITY = 0.45
GONGKAI_FREQUENT_WINDOW_DAYS = 365
# Personal-data check before publication: also flag person-name candidates (segmenter tags)
GONGKAI_PII_NAMES = env_bool("GONGKAI_PII_NAMES", True)
GONGKAI_WITHHELD_REASSESS_MONTHS = int(os.environ.get("GONGKAI_WITHHELD_REASSESS_MONTHS", "12"))

# Fee notice (收费通知) and the answer clock: whether the days from the fee notice to payment are
# excluded from the Art. 33 answer period is NOT confirmed by the reference (ogi-rules.md §2.6: the
# Fee Measures article was unreadable). It is a configurable rule, OFF by default (an unconfirmed
# rule is not stated as law); when an administrator turns it on, the fee notice and the case page
# say so explicitly.
GONGKAI_FEE_PAUSES_CLOCK = env_bool("GONGKAI_FEE_PAUSES_CLOCK", False)
# When the day the applicant received a fee notice is not recorded, it is presumed from the way the
# notice was delivered: calendar days after issue per delivery method (not in the reference: a
# choice, stated in the notice). Electronic delivery reaches the applicant the same day; a posted or
# collected notice is presumed received 7 days after issue.
GONGKAI_FEE_NOTICE_PRESUMED_RECEIPT_DAYS = {"email": 0, "online": 0, "fax": 0, "post": 7, "pickup": 7}

# Search (检索): dotted path of a gongkai.search.backends.base.SearchBackend. Unset: PostgreSQL
# databases use the segmented tsvector + pg_trgm backend, others (SQLite demo) the simple LIKE one.
GONGKAI_SEARCH_BACKEND = os.environ.get("GONGKAI_SEARCH_BACKEND") or None

# Provisional calendar (暂定): for a year whose State Council holiday notice has not been entered,
# deadlines follow the statutory holidays of 《全国年节及纪念日放假办法》 (weekends rest, no make-up
# days) and are shown as 暂定 everywhere, re-derived when the notice is entered. Off: such deadlines
# are not computed at all (the pre-2027 behaviour). The reference is silent; on by default.
GONGKAI_PROVISIONAL_CALENDAR = env_bool("GONGKAI_PROVISIONAL_CALENDAR", True)
# A published annual report version is rendered (page, HTML, PDF, DOCX, CSV, JSON) and stored once,
# by a Celery task sent when it is published; off, each rendition is stored on its first request.
GONGKAI_PRERENDER_REPORTS = env_bool("GONGKAI_PRERENDER_REPORTS", True)
# An anonymous visitor's tracking session (after a successful 查询码 look-up) ends after this many
# seconds without a request; expired rows are removed hourly (Celery beat).
GONGKAI_TRACKING_SESSION_SECONDS = int(os.environ.get("GONGKAI_TRACKING_SESSION_SECONDS", "1800"))

# Public page cache (gongkai.pagecache): whole responses of public pages for anonymous visitors,
# kept per app-server process and keyed by a content generation in the shared cache that every
# relevant database write changes. On by default when the shared cache is Redis (REDIS_URL): with
# the process-local cache, one process would not see another's writes.
GONGKAI_PAGE_CACHE = env_bool("GONGKAI_PAGE_CACHE", bool(os.environ.get("REDIS_URL")))
GONGKAI_PAGE_CACHE_SECONDS = env_int("GONGKAI_PAGE_CACHE_SECONDS", 300)  # also bounds other writers
GONGKAI_PAGE_CACHE_MB = env_int("GONGKAI_PAGE_CACHE_MB", 64)  # per process
GONGKAI_PAGE_CACHE_ENTRIES = env_int("GONGKAI_PAGE_CACHE_ENTRIES", 2000)
# Listed URLs only: public pages, the tracking page (kept per tracking session) and the staff API
# list (kept per token; the detail logs who read personal data, so it is never kept).
GONGKAI_PAGE_CACHE_EXACT = ("/", "/ysq/", "/track/status/", "/sitemap.xml", "/api/applications/")
GONGKAI_PAGE_CACHE_PREFIXES = (
    "/gk/",
    "/region/",
    "/docs/",
    "/reports/",
    "/interpretations/",
    "/consultations/",
    "/topics/",
    "/sitemap-",
)
# Writes to these tables change no page (login attempts, captchas, TOTP counters, anonymised search
# counts): they keep the generations. Writes to sessions and API tokens change only the
# credentials generation (pages kept per session or token are looked up afresh).
GONGKAI_PAGE_CACHE_IGNORED_TABLES = (
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "captcha_captchastore",
    "otp_totp_totpdevice",
    "qa_querylog",
    # report imports and their batches are shown to staff only (never a cached page); a bulk
    # import, its worker processes and Celery tasks then write without touching the cache
    "report_import_importedreport",
    "report_import_importbatch",
    "report_import_importitem",
)
GONGKAI_PAGE_CACHE_CREDENTIAL_TABLES = ("django_session", "authtoken_token")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_ENABLE = env_bool("GONGKAI_RATELIMIT", True)
# Past the portal's limits (5 valid applications / 20 look-ups a minute per client address) the
# form asks for a captcha drawn on the server with the package's bundled font; no audio.
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_FLITE_PATH = None

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # API clients are throttled per token/user (and per address before authentication); the
    # address is the one ClientAddressMiddleware derived (NUM_PROXIES 0: never X-Forwarded-For).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("GONGKAI_API_ANON_RATE", "60/min"),
        "user": os.environ.get("GONGKAI_API_USER_RATE", "600/min"),
    },
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gongkai API",
    "DESCRIPTION": "政府信息公开申请与年度报告 API",
    "VERSION": "0.1.0",
    # Swagger UI served from our own static files (swagger-ui-dist 5.35.0 from npm, vendored with
    # its LICENSE): the platform must work on networks without access to a CDN.
    # Two choice sets are both called "outcome" (a case's 办理结果, an appeal's 结果): named apart.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationOutcomeEnum": "gongkai.applications.models.OUTCOME_CHOICES",
        "AppealOutcomeEnum": "gongkai.appeals.models.AppealOutcome",
        "ApplicationStateEnum": "gongkai.applications.models.choices.ApplicationState",
        "ApplicationActionEnum": "gongkai.api.serializers.APPLICATION_ACTION_CHOICES",
        "RecordStateEnum": "gongkai.core.record_lifecycle.STATE_CHOICES",
        "RecordActionEnum": "gongkai.api.record_serializers.RECORD_ACTION_CHOICES",
    },
    # Request bodies with files get their own component (files as binary, not URI strings).
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gongkai.api.schema_hooks.declare_nul_refused",
    ],
    "SWAGGER_UI_DIST": "/static/api/vendor/swagger-ui-dist-5.35.0",
    "SWAGGER_UI_FAVICON_HREF": "/static/api/vendor/swagger-ui-dist-5.35.0/favicon-32x32.png",
}

# Celery: Redis broker in production; eager (in-process) in the demo and tests.
CELERY_BROKER_URL = os.environ.get(
    "CELERY_BROKER_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", None)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "deadline-digest-daily": {
        "task": "gongkai.applications.tasks.deadline_digest",
        "schedule": 60 * 60 * 24,
    },
    "clear-expired-sessions-hourly": {
        "task": "gongkai.portal.tasks.clear_expired_sessions",
        "schedule": 60 * 60,
    },
}

# -- Security (issue 8). Every value comes from the environment; README → Production lists them.
# HTTPS: on by default (production). GONGKAI_HTTPS=0 only for plain-HTTP local runs (demo, tests).
GONGKAI_HTTPS = env_bool("GONGKAI_HTTPS", True)
SECURE_SSL_REDIRECT = env_bool("GONGKAI_SSL_REDIRECT", GONGKAI_HTTPS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = GONGKAI_HTTPS
SECURE_HSTS_SECONDS = env_int("GONGKAI_HSTS_SECONDS", 31536000 if GONGKAI_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GONGKAI_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("GONGKAI_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Submitting a domain to the browsers' HSTS preload list is its owner's decision, not a
    # deployment default (README → Production); everything else `check --deploy` asks is on.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("GONGKAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Reverse proxies: the number of proxies in front of the app servers that append to
# X-Forwarded-For (0: the connecting address is the client's; 1: the README's nginx). The client
# address is taken that many hops from the right; with proxies, X-Forwarded-Proto says HTTPS.
GONGKAI_TRUSTED_PROXIES = env_int("GONGKAI_TRUSTED_PROXIES", 0)
_PROXY_SSL_HEADER = os.environ.get(
    "GONGKAI_PROXY_SSL_HEADER", "X-Forwarded-Proto" if GONGKAI_TRUSTED_PROXIES else ""
).strip()
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
# Request size: the whole body (uploads included) is capped before Django reads it; form fields
# without files keep Django's 2.5 MB cap. Larger bodies get the Chinese 413 page.
GONGKAI_MAX_REQUEST_BYTES = env_int("GONGKAI_MAX_REQUEST_MB", 100) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 200
# Pages with personal data are never stored by browsers or shared caches (Cache-Control: no-store).
GONGKAI_NO_STORE_PREFIXES = ("/workbench/", "/admin/", "/api/", "/apply/", "/track/")
# Content-Security-Policy (django-csp): scripts and style sheets only from this site or with the
# request's nonce; style attributes are allowed (they cannot run code). No CDN is used anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if env_bool("GONGKAI_CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY, CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY, None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "INFO")},
}
