"""Dates, times and money as a person reads them: in the agency's own zone (WIB, WITA or WIT),
in Indonesian (or English), formatted by Babel.

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
# The languages the pages, notices and letters are written in; the first is the default.
LANGUAGES = ("id", "en")


def N_(text: str) -> str:  # the name the message extractor looks for
    """Marks a label for the translation catalog; it is translated where a page shows it."""
    return text


class Phrase(str):
    """A message the engine says in Indonesian that keeps its template and values, so a page can
    say it in the reader's language; everywhere else (logs, audit, the API) it is the Indonesian
    text it reads as. The template is marked for the catalog by its name (``Phrase``)."""

    template: str
    values: dict

    def __new__(cls, template: str, **values):
        phrase = super().__new__(cls, template % values if values else template)
        phrase.template, phrase.values = template, values
        return phrase

    def said(self, translate, locale: str = LOCALE) -> str:
        """The phrase in another language, given the template's translation and the language's locale
        (for the dates and amounts it quotes)."""
        text = translate(self.template)
        values = {
            k: v.said(translate, locale) if isinstance(v, Phrase | Written) else v for k, v in self.values.items()
        }
        return text % values if values else text


class Written(str):
    """A value a Phrase quotes that each language writes its own way (a date, an amount): it reads
    as Indonesian, and ``said`` writes it again for another locale. ``write`` takes ``locale=``."""

    def __new__(cls, write, *args):
        value = super().__new__(cls, write(*args))
        value.write, value.args = write, args
        return value

    def said(self, translate, locale: str = LOCALE) -> str:
        return self.write(*self.args, locale=locale)


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


def _clock(locale: str) -> str:
    # Indonesian usage puts a dot between hours and minutes; English a colon.
    return "HH.mm" if locale == "id" else "HH:mm"


def format_date(value: date | datetime, zone: str = "WIB", locale: str = LOCALE) -> str:
    """'2 Desember 2026'. An instant is first put into the agency's zone."""
    return _babel_date(local_date(value, zone), "d MMMM y", locale=locale)


def format_datetime(moment: datetime, zone: str = "WIB", locale: str = LOCALE) -> str:
    """'2 Desember 2026 02.42 WIB' ('2 December 2026 02:42 WIB' in English)."""
    return f"{_babel_datetime(local(moment, zone), f'd MMMM y {_clock(locale)}', locale=locale)} {zone_label(zone)}"


def format_time(moment: datetime, zone: str = "WIB", locale: str = LOCALE) -> str:
    """'02.42 WIB'."""
    return f"{_babel_datetime(local(moment, zone), _clock(locale), locale=locale)} {zone_label(zone)}"


def format_month(year: int, month: int, locale: str = LOCALE) -> str:
    """'Desember 2026'."""
    return _babel_date(date(year, month, 1), "MMMM y", locale=locale)


def format_rupiah(value, locale: str = LOCALE) -> str:
    """'Rp 7.200.000' (whole Rupiah, as retribution is assessed); 'IDR 7,200,000' in English."""
    return format_currency(Decimal(value), "IDR", format="¤ #,##0", currency_digits=False, locale=locale)


def format_number(value, digits: int = 0, locale: str = LOCALE) -> str:
    """'1.234,5' with ``digits`` decimals at most."""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale)
