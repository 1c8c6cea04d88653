"""The pages' language: Indonesian by default, English when the visitor asks for it (``?lang=en``,
kept in the session and, once signed in, on the account) or when the browser prefers it.

Messages are written in Indonesian in the templates and the code; ``webapp/translations`` holds
the English catalog (``messages.po``, the source kept in git). Its compiled form is written into the
instance folder when the app starts and the catalog is newer, so no build step stands between a
checkout and ``make run``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request, session
from flask_babel import Babel, get_locale, gettext
from flask_login import current_user
from jinja2 import pass_context

from engine.accounts import users
from engine.core.localtime import LANGUAGES, Phrase, zone_info

from . import bpmn_words
from .extensions import db

CATALOGS = Path(__file__).parent / "translations"
NAMES = {"id": "Bahasa Indonesia", "en": "English"}
_SESSION_KEY = "lang"


def compile_catalogs(source: Path, target: Path) -> Path:
    """Each language's ``messages.mo`` under ``target``, compiled from ``source`` when stale. Written
    to a temporary file and moved into place, so workers starting together never read half a file."""
    for po in source.glob("*/LC_MESSAGES/messages.po"):
        mo = target / po.relative_to(source).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parts[-3])
        fd, temporary = tempfile.mkstemp(dir=mo.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            write_mo(handle, catalog)
        os.replace(temporary, mo)
    return target


def _chosen() -> str | None:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    if request.path.startswith("/api/"):  # a client of the API says it in Accept-Language
        return None
    kept = session.get(_SESSION_KEY)
    if kept in LANGUAGES:
        return kept
    language = getattr(current_user, "language", None)  # the account's choice, on a new device
    return language if language in LANGUAGES else None


def select_locale() -> str:
    return _chosen() or request.accept_languages.best_match(LANGUAGES, default=LANGUAGES[0])


def _remember_choice():
    """``?lang=`` on any page: kept for the session, and on the account of whoever is signed in."""
    asked = request.args.get("lang")
    if asked not in LANGUAGES or request.path.startswith(("/api/", "/static/", "/assets/")):
        return
    session[_SESSION_KEY] = asked
    if current_user.is_authenticated and current_user.language != asked:
        users.choose_language(db.session, current_user, asked)
        db.session.commit()


def language_links() -> list[tuple[str, str, str, bool]]:
    """(code, name, url, current) for each language: this page again, in that language."""
    current = str(get_locale())
    args = {k: v for k, v in request.args.items() if k != "lang"}
    return [
        (code, NAMES[code], f"{request.path}?{urlencode({**args, 'lang': code})}", code == current)
        for code in LANGUAGES
    ]


def script_text() -> dict[str, str]:
    """What the pages' scripts say (the document viewer, the diagrams and their editor), in the page's
    language; ``{name}`` marks where a script puts a value."""
    return {
        "document_unopened": gettext("Dokumen tidak dapat dibuka (%(status)s).", status="{status}"),
        "document_kind": gettext("Berkas jenis ini tidak dapat ditampilkan di halaman; gunakan Unduh."),
        "document_loading": gettext("Memuat dokumen…"),
        "document_undrawable": gettext("Dokumen tidak dapat ditampilkan di halaman; gunakan Unduh."),
        "diagram_unshown": gettext("Diagram tidak dapat ditampilkan: %(error)s", error="{error}"),
        "diagram_missing": gettext("diagram tidak tersedia"),
        "stage_target": gettext("Target tahap ini: %(days)s hari kerja (diatur di menu Waktu Layanan).", days="{days}"),
        "stage_without_target": gettext(
            "Tahap ini belum punya target; atur di menu Waktu Layanan setelah versi terbit."
        ),
        "deemed_not_json": gettext('Isian fiktif positif harus objek JSON, mis. {"keputusan_kepala": "setujui"}.'),
    }


def editor_words() -> dict[str, str]:
    """bpmn-js's own words for the diagram editor's page: it speaks English, so an Indonesian page
    gives it these and an English page none."""
    return bpmn_words.INDONESIAN if str(get_locale()) == "id" else {}


def say(text):
    """A message of the engine in the reader's language (a Phrase), or the text as it is."""
    return text.said(gettext, str(get_locale())) if isinstance(text, Phrase) else text


def say_refusal(exc) -> str:
    """A refusal and each of its fields' messages, in the reader's language, as one line to flash."""
    return " ".join([say(exc.message), *(say(message) for message in getattr(exc, "errors", {}).values())])


def init_app(app: Flask) -> None:
    target = compile_catalogs(CATALOGS, Path(app.instance_path) / "translations")
    app.config.setdefault("BABEL_DEFAULT_LOCALE", LANGUAGES[0])
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(target)
    zone = str(zone_info(app.config["AGENCY_TIMEZONE"]))
    Babel(app, locale_selector=select_locale, timezone_selector=lambda: zone)
    looked_up = app.jinja_env.globals["gettext"]

    @pass_context
    def template_gettext(context, text, **variables):
        # A Phrase (a finding, a refusal) is said with its own values; its Indonesian text, which
        # has them filled in, is in no catalog.
        return say(text) if isinstance(text, Phrase) else looked_up(context, text, **variables)

    app.jinja_env.globals["_"] = template_gettext
    # A {% trans %} block's text is one message whatever its line breaks and indentation.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    # What the engine says (a field's error, for instance) is put into the reader's language as it is shown.
    app.jinja_env.finalize = say
    app.before_request(_remember_choice)
    app.jinja_env.globals["language_links"] = language_links
    app.jinja_env.globals["current_language"] = lambda: str(get_locale())
    app.jinja_env.globals["script_text"] = script_text
