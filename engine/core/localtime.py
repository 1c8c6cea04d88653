"""Dates, times and money as a person reads them: in the agency's own zone (WIB, WITA or WIT),
in Indonesian, formatted by Babel.

Everything is stored in UTC; a letter dated, a number's year and month, or a time on a page is
the agency's local one. A permit signed at 02:42 WIB on 2 December was signed on 2 December
even though it was still 1 December in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_currency, format_decimal

# The three Indonesian zones by their legal names (and their IANA zones).
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
LOCALE = "id"


@cache
def zone_info(zone: str) -> ZoneInfo:
    """``WIB``/``WITA``/``WIT`` (or an IANA name) as a ZoneInfo. Raises ``ValueError`` if unknown."""
    try:
        return ZoneInfo(ZONES.get(zone, zone))
    except Exception:  # noqa: BLE001 - ZoneInfo raises several kinds on a bad name
        raise ValueError(f"zona waktu tidak dikenal: {zone} (WIB, WITA atau WIT)") from None


def zone_label(zone: str) -> str:
    """The label printed after a time: the legal name, whichever way the zone was configured."""
    for label, name in ZONES.items():
        if zone in (label, name):
            return label
    return zone


def local(moment: datetime, zone: str) -> datetime:
    """``moment`` in the agency's zone (a naive value is UTC, as the database keeps it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone_info(zone))


def local_date(moment: datetime | date, zone: str) -> date:
    """The agency's calendar day of an instant (a date is returned as it is)."""
    return local(moment, zone).date() if isinstance(moment, datetime) else moment


def format_date(value: date | datetime, zone: str = "WIB") -> str:
    """'2 Desember 2026'. An instant is first put into the agency's zone."""
    return _babel_date(local_date(value, zone), "d MMMM y", locale=LOCALE)


def format_datetime(moment: datetime, zone: str = "WIB") -> str:
    """'2 Desember 2026 02.42 WIB' (Indonesian usage: a dot between hours and minutes)."""
    return f"{_babel_datetime(local(moment, zone), 'd MMMM y HH.mm', locale=LOCALE)} {zone_label(zone)}"


def format_time(moment: datetime, zone: str = "WIB") -> str:
    """'02.42 WIB'."""
    return f"{_babel_datetime(local(moment, zone), 'HH.mm', locale=LOCALE)} {zone_label(zone)}"


def format_month(year: int, month: int) -> str:
    """'Desember 2026'."""
    return _babel_date(date(year, month, 1), "MMMM y", locale=LOCALE)


def format_rupiah(value) -> str:
    """'Rp 7.200.000' (whole Rupiah, as retribution is assessed)."""
    return format_currency(Decimal(value), "IDR", format="¤ #,##0", currency_digits=False, locale=LOCALE)


def format_number(value, digits: int = 0) -> str:
    """'1.234,5' with ``digits`` decimals at most."""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALE)
