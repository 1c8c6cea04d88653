"""Configuration: defaults, then ``instance/config.py``, then environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def flag(value) -> bool:
    """A yes/no setting, from ``instance/config.py`` (a bool) or the environment (a string)."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "ya")
    return bool(value)


def database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'ptsp.db'}"
    # Accept the common short forms and use psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def pki_key_secret(config, instance_path: str) -> bytes:
    """What the agency's private keys (CA, TSA, seal) are encrypted with: ``PKI_KEY_PASSPHRASE``
    from the environment or ``instance/config.py``, else a random one kept in ``instance/pki-key``
    (keep that file apart from backups of the keys)."""
    given = config.get("PKI_KEY_PASSPHRASE")
    if given:
        return str(given).encode("utf-8")
    path = Path(instance_path) / "pki-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip().encode("utf-8")


def secret_key(instance_path: str) -> str:
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


# Settings of each connected service, read as <SERVICE>_<KEY> (e.g. DUKCAPIL_URL, BANK_SECRET).
CONNECTOR_SETTINGS = {
    "dukcapil": ("URL", "USER_ID", "PASSWORD"),
    "bank": ("URL", "PARTNER_ID", "PARTNER_SERVICE_ID", "SECRET"),
    "oss": ("URL", "API_KEY"),
    "djp": ("URL", "API_KEY"),
    "ahu": ("URL", "API_KEY"),
    "bpjs": ("URL", "API_KEY"),
    "sms": ("URL", "API_KEY"),
    "whatsapp": ("URL", "API_KEY"),
}


def defaults(instance_path: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
        # A save in the process editor (diagram, form, template, fee table, imported archive).
        "PROCESS_EDITOR_MAX_BYTES": 8 * 1024 * 1024,
        "PROCESSES_DIR": str(PROJECT_ROOT / "processes"),
        "FORMS_DIR": str(PROJECT_ROOT / "forms"),
        "FILES_DIR": str(Path(instance_path) / "files"),
        "PKI_DIR": str(Path(instance_path) / "pki"),
        "NODE_MODULES_DIR": str(PROJECT_ROOT / "node_modules"),
        # Compressed responses: brotli where the browser takes it, else gzip; level 4 of brotli costs
        # about what gzip's default does and saves more. Signed PDFs and images are left as they are.
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_BR_LEVEL": 4,
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        "AGENCY": {},
        # Where login and lookup attempts are counted: per process in memory by default; with several
        # web workers, a store they share (e.g. redis://127.0.0.1:6379).
        "RATELIMIT_STORAGE_URI": "local://",
        # The service clock: the agency's time zone (WIB, WITA or WIT) and office hours.
        "AGENCY_TIMEZONE": "WIB",
        "OFFICE_HOURS": ("08:00", "16:00"),
        # "lokal": officers' keys in passphrase-protected PKCS#12 here; "remote": a BSrE-like service.
        "SIGNING_PROVIDER": "lokal",
        "SIGNING_REMOTE_URL": "http://127.0.0.1:8089",
        # Extra trusted root certificates (PEM paths), e.g. the licensed CA of imported certificates.
        "SIGNING_TRUST_ROOTS": [],
        "TSA_POLICY_OID": "2.16.360.1.3.1.99.1",
        # The agency CA's OCSP responder always answers at /pki/ocsp. Naming it in the certificates
        # it issues makes validators such as poppler/NSS ask it online and fail when it cannot be
        # reached, where with the CRL alone they fall back: off unless every verifier can reach it.
        "PKI_OCSP_IN_CERTIFICATES": False,
        # "json": one JSON object a line (for a log collector); "text": plain lines.
        "LOG_FORMAT": "text",
        # Encrypts the PKI and secret keys inside backups (set it in the environment, keep it apart
        # from the backups); unset, backups hold the data without them.
        "BACKUP_KEY": None,
        # The archive: "local" (FILES_DIR) or "s3" (S3_ENDPOINT_URL, S3_BUCKET, S3_ACCESS_KEY_ID,
        # S3_SECRET_ACCESS_KEY, S3_REGION, S3_PREFIX; S3_CREATE_BUCKET=1 makes the bucket if missing).
        "FILE_STORE": "local",
        "BACKUP_DIR": str(Path(instance_path) / "backups"),
        # Email (password reset links, notices): "smtp" in production (SMTP_HOST, SMTP_PORT,
        # SMTP_USERNAME, SMTP_PASSWORD, SMTP_STARTTLS); "file" writes .eml files to MAIL_DIR
        # (instance/mail by default); "console" writes them to the log.
        "MAIL_BACKEND": "file",
        "MAIL_FROM": "PTSP-el <noreply@localhost>",
        # When on, Kepala Dinas and administrator accounts must use a second factor (TOTP).
        "REQUIRE_TOTP": False,
        # When on, the applicant answers the satisfaction survey (IKM) before downloading the permit.
        "SURVEY_BEFORE_DOWNLOAD": False,
        # The kiosk (anjungan informasi) goes back to its start page after this long untouched.
        "KIOSK_IDLE_SECONDS": 60,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        # Other agencies' web services and the bank (CONNECTOR_SETTINGS below): an unset URL means not
        # connected (checks are skipped and say so). ``make run`` points them at the local simulators
        # (``flask ptsp agency-simulator``). CONNECTOR_TIMEOUT bounds a whole call, retries included (s).
        **{f"{service.upper()}_{key}": None for service, keys in CONNECTOR_SETTINGS.items() for key in keys},
        "CONNECTOR_TIMEOUT": 3.0,
    }


ENV_OVERRIDES = (
    "PREFERRED_URL_SCHEME",
    "FORCE_HTTPS",
    "PUBLIC_BASE_URL",
    "FILES_DIR",
    "PKI_DIR",
    "SIGNING_PROVIDER",
    "SIGNING_REMOTE_URL",
    "AGENCY_TIMEZONE",
    "RATELIMIT_STORAGE_URI",
    "PKI_KEY_PASSPHRASE",
    "MAIL_BACKEND",
    "MAIL_FROM",
    "MAIL_DIR",
    "SURVEY_BEFORE_DOWNLOAD",
    "KIOSK_IDLE_SECONDS",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USERNAME",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "REQUIRE_TOTP",
    "PKI_OCSP_IN_CERTIFICATES",
    "LOG_FORMAT",
    "BACKUP_KEY",
    "BACKUP_DIR",
    "FILE_STORE",
    "S3_ENDPOINT_URL",
    "S3_BUCKET",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
    "S3_PREFIX",
    "S3_CREATE_BUCKET",
    "CONNECTOR_TIMEOUT",
    *(f"{service.upper()}_{key}" for service, keys in CONNECTOR_SETTINGS.items() for key in keys),
)


def connector_settings(config) -> dict[str, dict]:
    """Each service's URL, time limit and credentials, as ``engine.connectors.registry.build`` takes them."""
    timeout = float(config.get("CONNECTOR_TIMEOUT") or 3.0)

    def setting(service: str, key: str):
        return config.get(f"{service.upper()}_{key}") or (None if key == "URL" else "")

    return {
        service: {"timeout": timeout, **{key.lower(): setting(service, key) for key in keys}}
        for service, keys in CONNECTOR_SETTINGS.items()
    }


def from_environment() -> dict:
    return {key: os.environ[key] for key in ENV_OVERRIDES if os.environ.get(key)}
