"""Pages show times in the agency's configured zone, with that zone's own label."""

from __future__ import annotations

import pytest

from tests.timeline import at, step, submit
from webapp import create_app


@pytest.fixture
def app_in(app):
    """The same database and keys served by an agency in another zone."""

    def make(zone: str):
        keep = ("SQLALCHEMY_DATABASE_URI", "FILES_DIR", "PKI_DIR", "PUBLIC_BASE_URL", "SECRET_KEY")
        return create_app(
            {**{k: app.config[k] for k in keep}, "TESTING": True, "WTF_CSRF_ENABLED": False, "AGENCY_TIMEZONE": zone}
        )

    return make


@pytest.mark.parametrize(
    ("zone", "submitted", "deadline"),
    [
        # Submitted Monday 2 Nov 08:00 WIB, received 09:00 WIB; five office days: Monday 9 Nov 09:00 WIB.
        ("WIB", "2 November 2026 08.00 WIB", "9 November 2026 09.00 WIB"),
        # The same instants in Makassar and Jayapura read an hour and two hours later.
        ("WITA", "2 November 2026 09.00 WITA", None),
        ("WIT", "2 November 2026 10.00 WIT", None),
    ],
)
def test_public_tracking_shows_times_in_the_agency_zone(session, services, user, app_in, zone, submitted, deadline):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))
    page = app_in(zone).test_client().get(f"/lacak?nomor={application.reg_number}").get_data(as_text=True)
    assert submitted in page
    labels = {"WIB", "WITA", "WIT"} - {zone}
    assert not any(f" {label}<" in page or f" {label} " in page for label in labels), page
    if deadline:
        assert deadline in page
