"""Flask extensions, created unbound and wired in ``create_app``."""
from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from engine.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Storage from RATELIMIT_STORAGE_URI (default in memory, per process: with several workers set a
# shared store, e.g. redis://). Limits are declared on the routes they guard.
limiter = Limiter(get_remote_address)


def failed(response) -> bool:
    """Only refused attempts count toward a login limit: officers who log in often are not slowed."""
    return response.status_code in (400, 401, 403, 422)


def address_and_account() -> str:
    """Attempts on one account from one address, whether the account exists or not (the same answer)."""
    body = request.get_json(silent=True) if request.is_json else None
    email = (body or {}).get("email") if isinstance(body, dict) else request.form.get("email")
    return f"{get_remote_address()}|{str(email or '').strip().lower()[:200]}"
