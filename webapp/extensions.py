"""Flask extensions, created unbound and wired in ``create_app``."""

from flask import request
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage

from engine.schema import Base

# A request commits once, near its end, then renders what it changed: reloading every object
# after the commit would only read back what this request just wrote.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Pages, JSON, scripts and styles go out compressed (brotli or gzip, as the browser accepts).
compress = Compress()


class LocalStorage(MemoryStorage):
    """Attempts counted in this process (``local://``), like ``memory://`` but without its
    background timer threads: counts expire when read, and the rest is swept now and then on
    writes. A timer thread would keep every command and test run waiting at exit whenever the
    clock is shifted (the suite's run a year ahead)."""

    STORAGE_SCHEME = ["local"]
    _SWEEP_EVERY = 1000

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()
        self._writes = 0

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the timer the parent would start
        self._writes += 1
        if self._writes % self._SWEEP_EVERY == 0:
            self._MemoryStorage__expire_events()


# Storage from RATELIMIT_STORAGE_URI (default local://, per process: with several workers set a
# shared store, e.g. redis://). Limits are declared on the routes they guard.
limiter = Limiter(get_remote_address)


def failed(response) -> bool:
    """Only refused attempts count toward a login limit: officers who log in often are not slowed."""
    return response.status_code in (400, 401, 403, 422)


def _account_key(email) -> str:
    return f"akun|{str(email or '').strip().lower()[:200]}"


def attempted_account() -> str:
    """The account a login or token request tries, whether it exists or not (the same answer)."""
    body = request.get_json(silent=True) if request.is_json else None
    email = (body or {}).get("email") if isinstance(body, dict) else request.form.get("email")
    return _account_key(email)


# Ten refused attempts on one account, from any address, on the web or the API, lock it for
# fifteen minutes; an administrator can unlock it sooner. Unknown emails lock the same way, so the
# answer tells nothing about which accounts exist.
LOCKOUT = "10 per 15 minutes"
LOCKOUT_SCOPE = "penguncian-akun"
account_lockout = limiter.shared_limit(
    LOCKOUT, scope=LOCKOUT_SCOPE, key_func=attempted_account, methods=["POST"], deduct_when=failed
)


def unlock_account(email: str) -> None:
    """Forget the refused attempts on an account (the admin's unlock)."""
    from limits import parse

    limiter.limiter.clear(parse(LOCKOUT), _account_key(email), LOCKOUT_SCOPE)
