"""A diagram is untrusted input: an edited export archive is imported as a draft that never runs
until an admin publishes it, its hostile code is a finding, and no crafted diagram breaks a page."""

from __future__ import annotations

import io
import json
import zipfile
from xml.sax.saxutils import escape

import pytest

from engine.process_admin import catalog, drafts
from engine.workflow.definitions import permit_type_by_code

FEE_SCRIPT = "retribusi = int(Decimal(tarif_per_m2) * luas_m2 * jumlah_sisi * masa_berlaku_tahun)"
PAYLOADS = [
    "match pemohon_nama:\n    case str(__class__=c):\n        retribusi = c",
    "retribusi = [v for v in ().__class__.__base__.__subclasses__()]",
    "try:\n    1/0\nexcept Exception as e:\n    retribusi = e.__traceback__.tb_frame.f_globals",
    "while True:\n    pass",
    "retribusi = 'x' * 10**10",
    "retribusi = 9**9**8",
]


def _edited_export(client, session, payload: str, code: str = "izin-reklame-lain", prefix: str = "RKL") -> bytes:
    """The Izin Reklame export, edited by hand as another agency might send it."""
    number = next(v.number for v in permit_type_by_code(session, "izin-reklame").versions if v.published)
    original = client.get(f"/admin/proses/izin-reklame/versi/{number}/ekspor").data
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "permit.json":
                metadata = json.loads(data)
                metadata.update(code=code, prefix=prefix, name="Izin Reklame (kiriman kota lain)")
                data = json.dumps(metadata).encode("utf-8")
            elif info.filename.endswith(".bpmn"):
                data = data.decode("utf-8").replace(escape(FEE_SCRIPT), escape(payload)).encode("utf-8")
            target.writestr(info.filename, data)
    return out.getvalue()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_archive_is_a_draft_its_code_a_finding_and_it_never_runs(
    client, login, session, payload, processes_restored
):
    login("proses")
    archive = _edited_export(client, session, payload)
    response = client.post(
        "/admin/proses/impor", data={"arsip": (io.BytesIO(archive), "kiriman.zip")}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "diimpor sebagai draf" in page
    imported = catalog.permit_type_for_admin(session, "izin-reklame-lain")
    assert not imported.active and not imported.versions  # nothing is live
    assert "hitung_retribusi" in page and "ditolak" in page  # the finding names the script's element
    assert "Kode dalam diagram" in page  # the admin reads every script before deciding
    client.post("/admin/proses/izin-reklame-lain/draf/terbitkan", follow_redirects=True)
    session.expire_all()
    assert not catalog.permit_type_for_admin(session, "izin-reklame-lain").versions
    run = client.post("/admin/proses/izin-reklame-lain/draf/uji", data={"contoh": "{}"})
    text = run.get_data(as_text=True)
    assert run.status_code in (200, 422) and "uid=" not in text and "SECRET" not in text
    assert client.get("/admin/proses/izin-reklame-lain/draf/diagram").status_code == 200


@pytest.mark.parametrize(
    "mutation",
    [
        ("<bpmn:flowNodeRef>verifikasi_berkas</bpmn:flowNodeRef>", "<bpmn:flowNodeRef/>"),
        (escape(FEE_SCRIPT), "retribusi = " + "(" * 10000 + "1" + ")" * 10000),
        (escape(FEE_SCRIPT), "retribusi = " + "-" * 20000 + "1"),
        ("<bpmn:process ", "<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'>]><bpmn:process "),
        ("</bpmn:definitions>", ""),  # cut short: not even XML
    ],
)
def test_a_crafted_diagram_is_reported_and_its_draft_still_opens(client, login, session, mutation, processes_restored):
    login("proses")
    client.post("/admin/proses/izin-reklame/draf")
    permit_type = permit_type_by_code(session, "izin-reklame")
    draft = drafts.draft_of(session, permit_type)
    name = next(n for n in draft.files if n.endswith(".bpmn"))
    old, new = mutation
    assert old in draft.files[name]
    draft.files = {**draft.files, name: draft.files[name].replace(old, new, 1)}
    session.commit()
    for url in ("/admin/proses/izin-reklame", "/admin/proses/izin-reklame/draf/diagram"):
        assert client.get(url).status_code == 200, url
    findings = drafts.validate(draft.files)
    assert findings and all(element for element, _ in findings)
    published = client.post("/admin/proses/izin-reklame/draf/terbitkan")
    assert published.status_code in (302, 422)
    session.expire_all()
    assert drafts.draft_of(session, permit_type) is not None  # nothing published, the draft kept
    assert client.post("/admin/proses/izin-reklame/draf/uji", data={"contoh": "{}"}).status_code in (200, 422)


def test_a_50_mb_diagram_or_archive_is_refused_with_a_message_and_the_draft_kept(
    client, login, session, processes_restored
):
    login("proses")
    client.post("/admin/proses/izin-reklame/draf")
    permit_type = catalog.permit_type_for_admin(session, "izin-reklame")
    before = dict(drafts.draft_of(session, permit_type).files)
    huge = (
        b'<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
        b"<!-- " + b"x" * (50 * 1024 * 1024) + b" --></definitions>"
    )
    refused = client.post(
        "/admin/proses/izin-reklame/draf/diagram/impor", data={"berkas": (io.BytesIO(huge), "besar.bpmn")}
    )
    assert refused.status_code in (413, 422) and "<!doctype html>" in refused.get_data(as_text=True).lower()
    saved = client.post("/admin/proses/izin-reklame/draf/diagram", data={"bpmn": huge.decode()})
    assert saved.status_code == 413 and "terlalu besar" in saved.get_data(as_text=True)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("permit.json", json.dumps({"code": "izin-besar", "prefix": "BSR", "name": "Besar"}))
        archive.writestr("bundle/proses.bpmn", huge)
    imported = client.post(
        "/admin/proses/impor", data={"arsip": (io.BytesIO(packed.getvalue()), "besar.zip")}, follow_redirects=True
    )
    assert imported.status_code == 200 and "Arsip" in imported.get_data(as_text=True)
    session.expire_all()
    assert drafts.draft_of(session, permit_type).files == before
    assert client.get("/admin/proses/izin-reklame/draf/diagram").status_code == 200


@pytest.mark.parametrize("kind", [".dmn", ".schema.json", "templates/"])
def test_a_broken_fee_table_form_or_template_in_a_draft_breaks_no_page(
    client, login, session, kind, processes_restored
):
    login("proses")
    client.post("/admin/proses/izin-reklame/draf")
    permit_type = catalog.permit_type_for_admin(session, "izin-reklame")
    draft = drafts.draft_of(session, permit_type)
    name = next(n for n in sorted(draft.files) if kind in n)
    draft.files = {**draft.files, name: draft.files[name][: len(draft.files[name]) // 2]}
    session.commit()
    page = client.get("/admin/proses/izin-reklame")
    assert page.status_code == 200
    assert name in page.get_data(as_text=True) or "temuan" in page.get_data(as_text=True)
    for url in ("/admin/proses/izin-reklame/draf/diagram", "/admin/proses/izin-reklame/draf/uji"):
        assert client.get(url).status_code == 200, url
