"""Every text a template shows is marked for translation, and the English catalog translates every
message it holds; pages answer in English with ``?lang=en``, keep the choice, and say so in
``<html lang>``."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import lxml.html
import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"
CATALOG = Path(__file__).resolve().parents[2] / "webapp" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# The same in both languages: names, codes and units a page may show as they are.
AS_THEY_ARE = set(
    "PTSP el PDF CSV JSON Schema SHA IKM NIK NIB SKRD QRIS NRR PAdES AdES ETSI CA TTE API OSS RBA SP4N LAPOR "
    "TOTP Email WhatsApp SMS JPEG PNG MB kamus json CC BY Swagger UI OpenAPI WIB BPMN DMN Rp ADU XXXXXXXX REK "
    "wide".split()
)
# Attributes a person reads or hears (a screen reader speaks aria-label and title).
READ_ATTRIBUTES = re.compile(r'\b(placeholder|title|aria-label|alt|data-label)="([^"{}]*)"')
# Templates whose text is still Indonesian only (none now). The list may only shrink: a template on
# it that has become fully marked fails the test until it is taken off.
NOT_YET: set[str] = set()


def _words_to_translate(text: str) -> bool:
    return any(word not in AS_THEY_ARE for word in re.findall(r"[A-Za-zÀ-ÿ]{2,}", html.unescape(text)))


def unmarked(source: str) -> list[str]:
    """The texts of a template that are not inside ``_()`` or ``{% trans %}``: text between tags,
    and the attributes people read."""
    found, in_trans, in_tag, in_script, text, after_block = [], False, False, False, [], None
    for _, kind, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source):
        if kind == "block_begin":
            after_block = "start"
            continue
        if after_block == "start" and kind == "name":
            in_trans = {"trans": True, "pluralize": True, "endtrans": False}.get(value, in_trans)
            after_block = None
        if kind != "data" or in_trans:
            if kind in ("variable_begin", "block_begin") and not in_tag:
                text.append(" ")
            continue
        data = re.sub(r"<!--.*?-->", " ", value, flags=re.S)
        i = 0
        while i < len(data):
            if in_script:
                end = data.find("</script>", i)
                if end < 0:
                    break
                in_script, i = False, end + len("</script>")
                continue
            char = data[i]
            if not in_tag and char == "<" and re.match(r"</?[A-Za-z!]", data[i : i + 3]):
                found.append("".join(text))
                text, in_tag = [], True
                if data[i : i + 7].lower() == "<script":
                    in_script = True
                    in_tag = False
                    end = data.find(">", i)
                    i = end + 1 if end >= 0 else len(data)
                    continue
            elif in_tag and char == ">":
                in_tag = False
            elif not in_tag:
                text.append(char)
            i += 1
        found.extend(value for _, value in READ_ATTRIBUTES.findall(data))
    found.append("".join(text))
    return sorted({t.strip() for t in found if _words_to_translate(t)})


def _templates() -> dict[str, str]:
    return {str(p.relative_to(TEMPLATES)): p.read_text() for p in sorted(TEMPLATES.rglob("*.html"))}


@pytest.mark.parametrize("name", sorted(set(_templates()) - NOT_YET))
def test_every_text_of_a_template_is_marked_for_translation(name):
    assert unmarked(_templates()[name]) == []


def test_the_list_of_templates_not_yet_translated_only_shrinks():
    templates = _templates()
    assert NOT_YET <= set(templates), NOT_YET - set(templates)
    assert [name for name in sorted(NOT_YET) if not unmarked(templates[name])] == []


def test_the_checker_sees_text_between_tags_and_in_read_attributes():
    assert unmarked('<p>Halo <a href="{{ u }}">dunia</a></p>') == ["Halo", "dunia"]
    assert unmarked('<input placeholder="Nomor registrasi">') == ["Nomor registrasi"]
    assert unmarked('<p>{{ _("Halo") }} {% trans %}dunia {{ x }}{% endtrans %} PDF</p>') == []
    assert unmarked("<script>const label = 'Izin terbit';</script>") == []


def test_the_english_catalog_translates_every_message():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []
    assert not [m.id for m in catalog if m.fuzzy and m.id]


# Every audience, with the account that walks its pages.
ENGLISH_AUDIENCES = {
    "public": None,
    "kiosk": None,
    "auth": "pemohon",
    "applicant": "pemohon",
    "helpdesk": "fo",
    "staff": "fo",
    "related": "dinkes",
    "supervisor": "kadis",
    "admin": "admin",
    "processes": "proses",
}
_SKIP = {"auth.logout", "auth.activate", "auth.reset_password", "auth.claim_account"}  # they need a one-time link


def _catalog_sentences() -> list[str]:
    """The Indonesian messages a page would still show if their translation were missing."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    return [
        m.id
        for m in catalog
        if isinstance(m.id, str) and "%" not in m.id and "<" not in m.id and len(m.id.split()) >= 3 and m.string != m.id
    ]


def _text(page_html: str) -> str:
    """The page's text in its own language: what the agency wrote in Indonesian is marked lang="id"."""
    page = lxml.html.fromstring(page_html)
    for element in page.xpath("//script | //style | //body//*[@lang='id']"):
        element.drop_tree()
    return re.sub(r"\s+", " ", page.text_content())


def _get_routes(app, blueprint: str) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] == blueprint
        and "GET" in rule.methods
        and not rule.arguments
        and rule.endpoint not in _SKIP
        and not rule.rule.endswith((".csv", ".json", ".pdf", ".xml", ".bpmn"))
    )


def _walk_in_english(app, client, blueprint, sentences) -> list[str]:
    walked = []
    extra = ["/izin/izin-reklame", "/lacak?nomor=X", "/pengaduan/lacak?kode=X"] if blueprint == "public" else []
    for path in _get_routes(app, blueprint) + extra:
        answer = client.get(f"{path}{'&' if '?' in path else '?'}lang=en")
        if answer.status_code in (301, 302) or answer.mimetype != "text/html":
            continue
        html = answer.get_data(as_text=True)
        assert '<html lang="en">' in html, path
        left = [s for s in sentences if s in _text(html)]
        assert left == [], (path, left)
        walked.append(path)
    return walked


def test_every_page_of_every_audience_answers_in_english(app, login):
    sentences, walked = _catalog_sentences(), []
    for blueprint, who in ENGLISH_AUDIENCES.items():
        client = app.test_client()
        if who:
            login(who, client)
        try:
            walked += _walk_in_english(app, client, blueprint, sentences)
        finally:
            client.get("/?lang=id")  # the account keeps its language: give it back to the other tests
    assert len(walked) >= 40, walked


def test_the_choice_of_english_is_kept_for_the_visit_and_on_the_account(app, login, session):
    visitor = app.test_client()
    assert '<html lang="id">' in visitor.get("/").get_data(as_text=True)
    visitor.get("/?lang=en")
    page = visitor.get("/lacak").get_data(as_text=True)
    assert '<html lang="en">' in page and "Track an Application" in page

    applicant = login("pemohon", app.test_client())
    applicant.get("/pemohon/?lang=en")
    elsewhere = login("pemohon", app.test_client())  # a new device: no session yet
    assert "My Applications" in elsewhere.get("/pemohon/").get_data(as_text=True)
    elsewhere.get("/?lang=id")
    assert "Permohonan Saya" in login("pemohon", app.test_client()).get("/pemohon/").get_data(as_text=True)


def test_an_english_browser_reads_english_unless_indonesian_was_chosen(app):
    client = app.test_client()
    english = {"Accept-Language": "en-US,en;q=0.9"}
    assert '<html lang="en">' in client.get("/", headers=english).get_data(as_text=True)
    assert '<html lang="id">' in client.get("/", headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    client.get("/?lang=id")
    assert '<html lang="id">' in client.get("/", headers=english).get_data(as_text=True)


def test_dates_and_rupiah_follow_the_language(app):
    from datetime import UTC, datetime

    with app.test_request_context("/?lang=en"):
        env = app.jinja_env
        moment = datetime(2026, 12, 1, 19, 42, tzinfo=UTC)
        assert env.filters["waktu"](moment).startswith("2 December 2026 02:42")
        assert env.filters["rupiah"](7_200_000) == "IDR 7,200,000"
    with app.test_request_context("/"):
        assert app.jinja_env.filters["waktu"](moment).startswith("2 Desember 2026 02.42")
        assert app.jinja_env.filters["rupiah"](7_200_000) == "Rp 7.200.000"


def test_a_refused_form_says_what_is_wrong_in_english(app, login):
    applicant = login("pemohon", app.test_client())
    try:
        answer = applicant.post(
            "/pemohon/ajukan/izin-reklame?lang=en",
            data={"luas_m2": "lebar", "naskah_reklame": "x", "berkas_ktp": (io.BytesIO(b"%PDF-1.4 rusak"), "ktp.pdf")},
            content_type="multipart/form-data",
        )
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422
        assert "Required." in page and "Must be a number." in page and "At least 2 characters." in page
        assert "ktp.pdf: The file is not a complete, readable PDF." in page
        assert "Wajib diisi." not in page and "Harus berupa angka." not in page and "Berkas bukan PDF" not in page
    finally:
        applicant.get("/?lang=id")


def test_what_the_engine_refuses_is_said_in_english(app):
    page = app.test_client().get("/lacak?nomor=TIDAK-ADA&lang=en").get_data(as_text=True)
    assert "Registration number not found. Check the number on the Receipt again." in page
    assert "Nomor registrasi tidak ditemukan" not in page


def test_a_field_message_composed_from_values_is_said_in_english(app, login):
    admin = login("admin", app.test_client())
    try:
        answer = admin.post(
            "/admin/waktu-layanan/izin-reklame?lang=en",
            data={"hari_kerja": "500", "peringatan": "80", "kebijakan": "tunda"},
        )
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422
        assert "Must be between 1 and 365." in page
        assert "Harus antara" not in page
    finally:
        admin.get("/?lang=id")


def test_what_the_pages_scripts_say_comes_in_the_page_s_language(app):
    client = app.test_client()

    def script_text(page):
        return json.loads(lxml.html.fromstring(page.get_data(as_text=True)).get_element_by_id("script-text").text)

    try:
        english, indonesian = script_text(client.get("/?lang=en")), script_text(client.get("/?lang=id"))
    finally:
        client.get("/?lang=id")
    assert english.keys() == indonesian.keys()
    assert english["document_loading"] == "Loading the document…"
    assert indonesian["document_loading"] == "Memuat dokumen…"
    assert english["stage_target"] == "Target for this stage: {days} working days (set in the Service Time menu)."


def test_the_diagram_editor_gets_bpmn_js_s_words_in_indonesian_only_on_an_indonesian_page(app, login):
    admin = login("proses", app.test_client())
    assert admin.post("/admin/proses/izin-reklame/draf").status_code in (302, 303)

    def editor_words(lang):
        page = admin.get(f"/admin/proses/izin-reklame/draf/diagram?lang={lang}").get_data(as_text=True)
        return json.loads(lxml.html.fromstring(page).get_element_by_id("editor-data").text)["words"]

    try:
        english, indonesian = editor_words("en"), editor_words("id")
    finally:
        admin.get("/?lang=id")
    assert indonesian["Create task"] == "Buat tugas" and english == {}  # bpmn-js is English
    # Other pages carry none of them.
    assert "Buat tugas" not in admin.get("/admin/proses/").get_data(as_text=True)


BPMN_JS = Path(__file__).resolve().parents[2] / "node_modules/bpmn-js/dist/bpmn-modeler.development.js"


@pytest.mark.skipif(not BPMN_JS.exists(), reason="the front-end packages are installed by make setup")
def test_the_diagram_editor_s_indonesian_words_are_the_ones_bpmn_js_says():
    from webapp.bpmn_words import INDONESIAN

    bundle = BPMN_JS.read_text(encoding="utf-8")
    said = set(re.findall(r"translate\('([^']+)'", bundle)) | set(re.findall(r"label: '([^']+)'", bundle))
    said -= {"HELLO {you}", " + shift + ", "Align elements "}  # a sample, and strings built around a key
    assert sorted(set(INDONESIAN) - said) == []  # none is stale after an upgrade
    assert sorted(said - set(INDONESIAN)) == []  # none is left in English


def test_the_sign_in_first_message_is_in_the_reader_s_language(app):
    client = app.test_client()
    try:
        page = client.get("/petugas/?lang=en", follow_redirects=True).get_data(as_text=True)
        assert "Sign in first (or register if you have no account yet)" in page and "Masuk dahulu" not in page
    finally:
        client.get("/?lang=id")
    page = client.get("/petugas/", follow_redirects=True).get_data(as_text=True)
    assert "Masuk dahulu (atau daftar bila belum punya akun)" in page


# Pages of one file, task or document: their arguments come from files made for the walk.
_ONE_THING = {
    "public": None,
    "applicant": "pemohon",
    "staff": "fo",
    "related": "dinkes",
    "supervisor": "kadis",
    "admin": "admin",
    "processes": "proses",
}


# What a page reads from its query: the version compared with the draft, the form edited.
_WHO = {"staff.assign_task": "kadis"}  # the head hands a task to an officer
_QUERY = {"processes.compare": {"a": 1}, "processes.form": {"berkas": "forms/reklame/permohonan.schema.json"}}


def _argument_values(session, services, user, login, app) -> dict[str, object]:
    from sqlalchemy import select

    from engine.documents.models import Document
    from engine.notifications.wordings import EVENTS
    from engine.workflow.models import WorkItem
    from tests.factories import issued, submit

    done = issued(session, services, user)
    waiting = submit(session, services, user)
    task = session.scalar(select(WorkItem).where(WorkItem.application_id == waiting.id, WorkItem.state == "open"))
    permit = session.scalar(select(Document).where(Document.application_id == done.id, Document.kind == "izin"))
    practice = issued(session, services, user, "surat-izin-praktik")  # a file the health office is asked about
    practice_permit = session.scalar(
        select(Document).where(Document.application_id == practice.id, Document.kind == "izin")
    )
    admin = login("proses", app.test_client())
    assert admin.post("/admin/proses/izin-reklame/draf").status_code in (302, 303)
    return {
        "application_id": waiting.id,
        "item_id": task.id,
        "document_id": permit.id,
        "code": "izin-reklame",
        "kind": "izin",
        "number": 1,
        "event": next(iter(EVENTS)),
        "decision_id": "tarif_reklame",
        "language": "en",
        "user_id": user("pemohon").id,
        "verify:code": permit.verify_code,
        "applicant:application_id": done.id,
        "applicant:document_id": permit.id,
        "related:application_id": practice.id,
        "related:document_id": practice_permit.id,
        "applicant:item_id": None,  # a file returned for correction: walked by the applicant's own tests
        "complaint_page:code": None,  # a complaint's tracking code: walked by the complaints' tests
        "complaint_attachment:code": None,
    }


def test_every_page_of_one_file_task_or_document_answers_in_english(app, login, session, services, user):
    values = _argument_values(session, services, user, login, app)
    sentences, walked = _catalog_sentences(), []
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.arguments
        and rule.endpoint.split(".")[0] in _ONE_THING
        and not rule.rule.endswith((".csv", ".json", ".pdf", ".xml", ".bpmn", "/asli", "/berkas", "/ekspor"))
        and ".<fmt>" not in rule.rule
    ]
    for rule in sorted(rules, key=lambda r: r.rule):
        blueprint, endpoint = rule.endpoint.split(".")
        args = {}
        for name in rule.arguments:
            for key in (f"{endpoint}:{name}", f"{blueprint}:{name}", name):
                if key in values:
                    args[name] = values[key]
                    break
        if set(args) != set(rule.arguments) or None in args.values():
            continue  # a ticket, a thread, a complaint or a regulation: walked by their own tests
        client = app.test_client()
        who = _WHO.get(rule.endpoint, _ONE_THING[blueprint])
        if who:
            login(who, client)
        try:
            with app.test_request_context():
                from flask import url_for

                path = url_for(rule.endpoint, **args, **_QUERY.get(rule.endpoint, {}), lang="en")
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.status_code)
            if answer.mimetype != "text/html":
                continue  # the document itself
            html = answer.get_data(as_text=True)
            assert '<html lang="en">' in html, path
            left = [s for s in sentences if s in _text(html)]
            assert left == [], (path, left)
            walked.append(path)
        finally:
            client.get("/?lang=id")
    assert len(walked) >= 20, walked


def test_a_phrase_a_template_looks_up_is_said_in_the_reader_s_language_and_escaped(app):
    from engine.core.localtime import Phrase

    found = Phrase("Ditandatangani oleh: %(signer)s.", signer="<b>Nama</b>")  # a name read from an uploaded PDF
    for lang, said in (
        ("en", "Signed by: &lt;b&gt;Nama&lt;/b&gt;."),
        ("id", "Ditandatangani oleh: &lt;b&gt;Nama&lt;/b&gt;."),
    ):
        with app.test_request_context(f"/?lang={lang}"):
            assert app.jinja_env.from_string("{{ _(found) }}|{{ found }}").render(found=found) == f"{said}|{said}"
