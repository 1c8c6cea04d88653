"""Realistic form data and small valid files for both permit types.

No absolute calendar dates: every date here is counted from a day, today's by default (the
agency's today by ``engine.clock``), or the frozen "now" of a test that steps at given instants
(``happy_path(day)``). A suite run a year later sees the same relations between its dates.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

from PIL import Image
from sqlalchemy import insert

from engine.casework import queries
from engine.casework.applications import submit_application
from engine.casework.tasks import complete_task
from engine.core.clock import utcnow
from engine.core.files import Upload
from engine.core.localtime import local
from engine.documents.documents import SignatureRequest
from engine.workflow import definitions
from engine.workflow.models import WorkItem
from webapp.seeding import DEMO_PASSPHRASE

TODAY = local(utcnow(), "WIB").date()

ROOT = Path(__file__).resolve().parents[1]
FORMS, TEMPLATES = ROOT / "forms", ROOT / "processes" / "_templates"
# Diagrams saved by other modelers (Camunda, Signavio, bpmn.io), as agencies will bring them.
FOREIGN_BPMN = ROOT / "tests" / "foreign_bpmn"
# A permit type a process admin makes from nothing in the tests.
NEW_TYPE = {
    "code": "izin-keramaian",
    "prefix": "IKR",
    "name": "Izin Keramaian",
    "sla_working_days": "4",
    "requirements": "KTP penanggung jawab\nSurat rekomendasi kelurahan",
    "has_retribution": "on",
    "description": "Izin penyelenggaraan kegiatan yang mengumpulkan orang banyak.",
}


def pdf_bytes(text: str = "lampiran") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def image_bytes(fmt: str = "PNG", color=(20, 120, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 24), color).save(buffer, format=fmt)
    return buffer.getvalue()


REKLAME = {
    "nama_penyelenggara": "CV Maju Jaya Advertising",
    "npwpd": "P.2.0001234.01",
    "jenis_reklame": "billboard",
    "naskah_reklame": "Promo Kopi Nusantara",
    "alamat_lokasi": "Jl. Jenderal Sudirman No. 10 (simpang empat)",
    "kecamatan": "Ilir Barat I",
    "luas_m2": "24",
    "jumlah_sisi": "2",
    "masa_berlaku_tahun": "1",
    "tanggal_mulai": (TODAY + timedelta(days=14)).isoformat(),
}
SIP = {
    "profesi": "dokter",
    "nomor_str": "3121100220145678",
    "str_berlaku_sampai": (TODAY + timedelta(days=4 * 365)).isoformat(),
    "nama_fasyankes": "Klinik Pratama Sehat Sentosa",
    "alamat_praktik": "Jl. Kapten Rivai No. 5",
    "kecamatan": "Bukit Kecil",
    "jadwal_praktik": "Senin–Jumat 16.00–20.00 WIB",
    "tempat_praktik_ke": "1",
}


def reklame_uploads() -> list[Upload]:
    return [
        Upload("berkas_ktp", "ktp.pdf", pdf_bytes("KTP")),
        Upload("berkas_desain", "desain.png", image_bytes()),
        Upload("berkas_foto_lokasi", "lokasi.jpg", image_bytes("JPEG")),
        Upload("berkas_persetujuan_lahan", "persetujuan.pdf", pdf_bytes("Persetujuan")),
    ]


def sip_uploads() -> list[Upload]:
    return [
        Upload("berkas_ktp", "ktp.pdf", pdf_bytes("KTP")),
        Upload("berkas_str", "str.pdf", pdf_bytes("STR")),
        Upload("berkas_rekomendasi_op", "rekomendasi.pdf", pdf_bytes("IDI")),
        Upload("berkas_keterangan_fasyankes", "keterangan.pdf", pdf_bytes("Klinik")),
        Upload("berkas_pas_foto", "foto.jpg", image_bytes("JPEG")),
    ]


# Days the SKRD leaves to pay, counted from its assessment.
PAYMENT_DAYS = 9


def happy_path(day: date) -> dict[str, tuple[dict, list[Upload]]]:
    """Staff decisions along the happy path, by task spec name, as an officer would enter them on ``day``."""
    iso = day.isoformat
    return {
        "verifikasi_berkas": ({"hasil_verifikasi": "lengkap"}, []),
        "jadwal_survei": ({"tanggal_survei": iso(), "petugas_survei": "Agus Wibowo, Rina Marlina"}, []),
        "berita_acara": (
            {
                "tanggal_pemeriksaan": iso(),
                "rekomendasi": "direkomendasikan",
                "temuan": "Lokasi sesuai permohonan, konstruksi aman dan tidak mengganggu lalu lintas.",
            },
            [
                Upload("foto_lapangan", "survei1.jpg", image_bytes("JPEG")),
                Upload("foto_lapangan", "survei2.png", image_bytes()),
            ],
        ),
        "penetapan_retribusi": (
            {"penetapan_sesuai": "true", "jatuh_tempo": (day + timedelta(days=PAYMENT_DAYS)).isoformat()},
            [],
        ),
        "konfirmasi_pembayaran": (
            {"tanggal_bayar": iso(), "nomor_bukti_bayar": "NTPD-8842-001", "jumlah_dibayar": "7200000"},
            [],
        ),
        "persetujuan_kepala": ({"keputusan_kepala": "setujui"}, []),
        "penyerahan": ({"cara_penyerahan": "elektronik", "tanggal_penyerahan": iso()}, []),
    }


# The happy path entered today, for tests that step on the real clock (pages, API, browser).
HAPPY = happy_path(TODAY)
STAFF_FOR_ROLE = {"front_office": "fo", "tim_teknis": "teknis", "bendahara": "bendahara", "kepala_dinas": "kadis"}


# --- driving an application through the verbs ------------------------------------------------------


def submit(session, services, user, code="izin-reklame", data=None, uploads=None):
    permit_type = definitions.permit_type_by_code(session, code)
    if data is None:
        data = dict(REKLAME if code == "izin-reklame" else SIP)
    if uploads is None:
        uploads = reklame_uploads() if code == "izin-reklame" else sip_uploads()
    application = submit_application(session, services, permit_type, user("pemohon"), data, uploads)
    session.commit()
    return application


def open_item(session, application) -> WorkItem:
    items = queries.open_items(session, application)
    assert len(items) == 1, [i.title for i in items]
    return items[0]


def work(session, services, user, application, overrides=None):
    """Complete the application's one open task as the right officer, with happy-path data."""
    item = open_item(session, application)
    data, uploads = HAPPY[item.task_spec]
    data = {**data, **(overrides or {})}
    signature = SignatureRequest(DEMO_PASSPHRASE) if item.signs else None
    complete_task(session, services, item.id, user(STAFF_FOR_ROLE[item.role]), data, list(uploads), signature=signature)
    session.commit()
    return item


def waiting_at(session, services, user, spec, code="izin-reklame"):
    """A new application worked along the happy path until its one open task is ``spec``:
    (application, that task)."""
    application = submit(session, services, user, code)
    while open_item(session, application).task_spec != spec:
        work(session, services, user, application)
    return application, open_item(session, application)


def finish(session, services, user, application):
    """Work the application's tasks along the happy path until the process leaves it."""
    while application.status == "diproses":
        work(session, services, user, application)
    return application


def issued(session, services, user, code="izin-reklame", data=None):
    """A new application taken to its end: the permit issued and handed over."""
    return finish(session, services, user, submit(session, services, user, code, data))


def bundle(kind: str = "sip") -> tuple[dict, dict[str, str]]:
    """A shipped permit type's bundle as read from disk: (metadata, files)."""
    return definitions.read_bundle(ROOT / "processes" / kind, ROOT / "forms")


def copies(session, item, n, **values):
    """``n`` more open tasks like ``item`` (the list reads rows; how they came is no matter here)."""
    now = utcnow()
    session.execute(
        insert(WorkItem),
        [
            {
                "application_id": item.application_id,
                "task_id": str(uuid4()),
                "task_spec": item.task_spec,
                "title": item.title,
                "lane": item.lane,
                "role": item.role,
                "stage": item.stage,
                "state": "open",
                "created_at": now - timedelta(minutes=i),
                **values,
            }
            for i in range(n)
        ],
    )
    session.commit()
