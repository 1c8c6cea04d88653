"""What an installation is given: the permit types of ``processes/``, and in development the demo
accounts (one per role, the signers with a certificate), the directory and two regulations."""

from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from engine.accounts import users
from engine.accounts.models import User
from engine.core.roles import (
    ADMIN,
    APPLICANT,
    FRONT_OFFICE,
    HEAD,
    PROCESS_ADMIN,
    RELATED_AGENCY,
    SCOPED_ROLES,
    SUPERVISOR,
    TECHNICAL,
    TREASURER,
)
from engine.documents import certificates
from engine.workflow import definitions

from .extensions import db
from .services import services

DEMO_PASSWORD = "demo12345"
# Demo signers get a certificate protected by this passphrase (a real officer chooses their own).
DEMO_PASSPHRASE = "tte-demo-2026"
DEMO_USERS = [
    ("pemohon@demo.test", "Budi Santoso", [APPLICANT], {"nik": "3171010101800001", "phone": "081234567890"}),
    ("fo@demo.test", "Siti Rahma (Front Office)", [FRONT_OFFICE], {"nip": "198502022010012001"}),
    (
        "teknis@demo.test",
        "Agus Wibowo (Tim Teknis)",
        [TECHNICAL],
        {
            "nip": "198703032011011002",
            "nik": "1671010303870002",
            "position": "Ketua Tim Teknis",
            "rank": "Penata (III/c)",
        },
    ),
    ("bendahara@demo.test", "Dewi Lestari (Bendahara)", [TREASURER], {"nip": "199004042014022003"}),
    ("pengawas@demo.test", "Rudi Hartono (Pengawas Layanan)", [SUPERVISOR], {"nip": "198106062006041005"}),
    (
        "kadis@demo.test",
        "Dr. Hendra Gunawan (Kepala Dinas)",
        [HEAD],
        {
            "nip": "197001011990031001",
            "nik": "1671010101700001",
            "position": "Kepala Dinas",
            "rank": "Pembina Utama Muda (IV/c)",
        },
    ),
    (
        "dinkes@demo.test",
        "Maya Sari (Dinas Kesehatan)",
        [RELATED_AGENCY],
        {"nip": "198808082012012007", "position": "Dinas Kesehatan"},
    ),
    ("proses@demo.test", "Rina Kusuma (Admin Proses)", [PROCESS_ADMIN], {"nip": "198707072011012006"}),
    ("admin@demo.test", "Administrator Sistem", [ADMIN], {}),
]
DEMO_SIGNERS = ("teknis@demo.test", "kadis@demo.test")


def load_processes() -> int:
    versions = definitions.load_directory(
        db.session, Path(current_app.config["PROCESSES_DIR"]), Path(current_app.config["FORMS_DIR"])
    )
    return len(versions)


# The demo applicant's birth data, as the Dukcapil simulator knows them.
DEMO_BIRTHS = {"pemohon@demo.test": (date(1980, 1, 1), "Jakarta")}


def seed_demo() -> list[str]:
    load_processes()
    created = []
    for email, name, roles, extra in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = users.create_user(
                db.session,
                None,
                name=name,
                email=email,
                password=DEMO_PASSWORD,
                roles=roles,
                strength=False,
                scope=_demo_scope(roles),
                **extra,
            )
            user.birth_date, user.birth_place = DEMO_BIRTHS.get(email, (None, None))
            created.append(email)
        if email in DEMO_SIGNERS and certificates.active_certificate(db.session, user) is None:
            certificates.enroll(db.session, services(), user, DEMO_PASSPHRASE, DEMO_PASSPHRASE)
    _seed_public_information()
    return created


def _seed_public_information() -> None:
    """The demo agency's directory and two regulations, so the public pages show what they hold."""
    from engine.public_data import directory

    if directory.directory(db.session)["profil"]:
        return
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.test"))
    directory.save_directory(
        db.session,
        admin,
        {
            "alamat": "Jl. Merdeka No. 1, Kota Contoh",
            "jam_layanan": "Senin–Kamis 08.00–15.00, Jumat 08.00–11.30",
            "telepon": "(0711) 123456",
            "email": "dpmptsp@kotacontoh.go.id",
            "unit": "Bidang Pelayanan Perizinan | Penerimaan, verifikasi dan penerbitan izin\n"
            "Bidang Pengaduan | Pengaduan, konsultasi dan survei kepuasan",
            "loket": "Loket 1 | Konsultasi dan informasi\nLoket 2–3 | Pengajuan berkas\nLoket 4 | Penyerahan izin",
            "pejabat": "Kepala Dinas | Dr. Hendra Gunawan\nKepala Bidang Pelayanan | Siti Rahmawati",
        },
    )
    for kind, number, year, title, codes in (
        ("Peraturan Daerah", "3", "2020", "Pajak dan Retribusi Daerah", ["izin-reklame"]),
        ("Peraturan Wali Kota", "12", "2025", "Standar Pelayanan Perizinan pada DPMPTSP", []),
    ):
        directory.add_regulation(
            db.session,
            services().files,
            admin,
            kind=kind,
            number=number,
            year=year,
            title=title,
            permit_type_codes=codes,
            upload=None,
        )


def _demo_scope(roles) -> users.AccountScope | None:
    """Demo officers read every permit type; the demo health office reads the practice permits
    (SIP) without the applicants' personal documents."""
    if RELATED_AGENCY in roles:
        sip = definitions.permit_type_by_code(db.session, "surat-izin-praktik")
        return users.AccountScope(permit_type_ids=frozenset({sip.id}))
    if set(roles) & set(SCOPED_ROLES):
        return users.AccountScope(all_permit_types=True)
    return None
