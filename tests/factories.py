"""Realistic form data and small valid files for both permit types."""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from engine.files import Upload

ROOT = Path(__file__).resolve().parents[1]
FORMS, TEMPLATES = ROOT / "forms", ROOT / "processes" / "_templates"
# A permit type a process admin makes from nothing in the tests.
NEW_TYPE = {"code": "izin-keramaian", "prefix": "IKR", "name": "Izin Keramaian", "sla_working_days": "4",
            "requirements": "KTP penanggung jawab\nSurat rekomendasi kelurahan", "has_retribution": "on",
            "description": "Izin penyelenggaraan kegiatan yang mengumpulkan orang banyak."}


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
    "tanggal_mulai": "2026-12-01",
}
SIP = {
    "profesi": "dokter",
    "nomor_str": "3121100220145678",
    "str_berlaku_sampai": "2030-05-31",
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


# Staff decisions along the happy path, by task spec name.
HAPPY = {
    "verifikasi_berkas": ({"hasil_verifikasi": "lengkap"}, []),
    "jadwal_survei": ({"tanggal_survei": "2026-11-25", "petugas_survei": "Agus Wibowo, Rina Marlina"}, []),
    "berita_acara": ({"tanggal_pemeriksaan": "2026-11-25", "rekomendasi": "direkomendasikan",
                      "temuan": "Lokasi sesuai permohonan, konstruksi aman dan tidak mengganggu lalu lintas."},
                     [Upload("foto_lapangan", "survei1.jpg", image_bytes("JPEG")),
                      Upload("foto_lapangan", "survei2.png", image_bytes())]),
    "penetapan_retribusi": ({"penetapan_sesuai": "true", "jatuh_tempo": "2026-12-10"}, []),
    "konfirmasi_pembayaran": ({"tanggal_bayar": "2026-11-27", "nomor_bukti_bayar": "NTPD-8842-001",
                               "jumlah_dibayar": "7200000"}, []),
    "persetujuan_kepala": ({"keputusan_kepala": "setujui"}, []),
    "penyerahan": ({"cara_penyerahan": "elektronik", "tanggal_penyerahan": "2026-11-30"}, []),
}
STAFF_FOR_ROLE = {"front_office": "fo", "tim_teknis": "teknis", "bendahara": "bendahara", "kepala_dinas": "kadis"}
