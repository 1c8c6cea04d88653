"""The directory and the regulations: managed by the admin only, with clear refusals."""

from __future__ import annotations

import pytest

from engine.core.errors import PermissionDenied, ValidationFailed
from engine.core.files import Upload
from engine.public_data import directory
from tests.factories import pdf_bytes


def test_the_admin_saves_the_directory_and_bad_lines_are_explained(session, user):
    with pytest.raises(PermissionDenied):
        directory.save_directory(session, user("fo"), {})
    with pytest.raises(ValidationFailed) as refused:
        directory.save_directory(session, user("admin"), {"unit": "Bidang Pelayanan tanpa pemisah", "peta": "http://x"})
    assert "Baris 1" in refused.value.errors["unit"] and "https://" in refused.value.errors["peta"]
    saved = directory.save_directory(
        session,
        user("admin"),
        {
            "alamat": "Jl. Merdeka No. 1",
            "jam_layanan": "Senin–Jumat 08.00–16.00",
            "pejabat": "Kepala Dinas | Drs. Siti Rahayu\n\nSekretaris | Andi Pratama",
            "loket": "Loket 1 | Konsultasi",
        },
    )
    session.commit()
    assert saved["profil"]["alamat"] == "Jl. Merdeka No. 1"
    assert saved["pejabat"] == [["Kepala Dinas", "Drs. Siti Rahayu"], ["Sekretaris", "Andi Pratama"]]
    assert directory.directory(session)["loket"] == [["Loket 1", "Konsultasi"]]


def test_regulations_are_listed_per_permit_type_with_their_pdf(session, services, user):
    admin = user("admin")
    before = len(directory.regulations(session))  # the demo data may hold some
    with pytest.raises(ValidationFailed) as refused:
        directory.add_regulation(
            session,
            services.files,
            admin,
            kind="Surat",
            number="",
            year="20",
            title="x",
            permit_type_codes=["tidak-ada"],
            upload=Upload("berkas", "a.pdf", b"bukan pdf"),
        )
    assert set(refused.value.errors) == {"jenis", "nomor", "tahun", "judul", "jenis_izin", "berkas"}
    reklame = directory.add_regulation(
        session,
        services.files,
        admin,
        kind="Peraturan Daerah",
        number="3",
        year="2020",
        title="Penyelenggaraan Reklame",
        permit_type_codes=["izin-reklame"],
        upload=Upload("berkas", "perda-3-2020.pdf", pdf_bytes("Perda")),
    )
    directory.add_regulation(
        session,
        services.files,
        admin,
        kind="Peraturan Wali Kota",
        number="12",
        year="2025",
        title="Standar Pelayanan PTSP",
        permit_type_codes=[],
        upload=None,
    )
    session.commit()
    assert "Penyelenggaraan Reklame" in [r.title for r in directory.regulations(session, "izin-reklame")]
    assert "Standar Pelayanan PTSP" not in [r.title for r in directory.regulations(session, "izin-reklame")]
    assert len(directory.regulations(session)) == before + 2
    assert services.files.read(reklame.sha256).startswith(b"%PDF")
    directory.remove_regulation(session, admin, reklame.id)
    session.commit()
    assert len(directory.regulations(session)) == before + 1
