"""Who may sign and how: the officer's passphrase opens only their own key; a wrong one signs
nothing and is audited; the in-app timestamp service answers standard RFC 3161 clients; a remote
BSrE-like provider can take the place of local keys; permit types still signing by hand archive
the scanned original."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import threading

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from engine.casework import permits, queries
from engine.casework.tasks import complete_task
from engine.core.errors import SigningRefused, ValidationFailed
from engine.core.files import Upload
from engine.core.models import AuditEvent
from engine.documents.documents import SignatureRequest
from engine.documents.models import Document
from engine.workflow.models import PermitType
from signing.certs import cert_pem_bytes
from signing.maker import DocumentMaker
from signing.providers import RemoteProvider
from signing.revocation import IssuerRevocationLists
from signing.simulator import create_simulator
from tests.factories import image_bytes, open_item, pdf_bytes, submit, work
from tests.signing.helpers import new_head
from webapp.seeding import DEMO_PASSPHRASE


def _to_head_approval(session, services, user, code="surat-izin-praktik"):
    application = submit(session, services, user, code=code)
    while open_item(session, application).task_spec != "persetujuan_kepala":
        work(session, services, user, application)
    return application, open_item(session, application)


def test_wrong_passphrase_signs_nothing_keeps_the_task_and_is_audited(session, services, user, login, app):
    application, item = _to_head_approval(session, services, user)
    head = login("kadis", app.test_client())
    head.post(f"/petugas/tugas/{item.id}/ambil")
    response = head.post(f"/petugas/tugas/{item.id}", data={"keputusan_kepala": "setujui", "passphrase": "keliru-123"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Passphrase salah" in page
    session.expire_all()
    assert (
        session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
        is None
    )
    assert open_item(session, application).id == item.id
    refused = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "signing_refused", AuditEvent.application_id == application.id)
    ).all()
    assert len(refused) == 1 and refused[0].summary["alasan"] == "wrong_passphrase"
    assert "keliru" not in str(refused[0].summary)  # the passphrase itself is never written down

    ok = head.post(f"/petugas/tugas/{item.id}", data={"keputusan_kepala": "setujui", "passphrase": DEMO_PASSPHRASE})
    assert ok.status_code == 302


def test_approving_without_passphrase_asks_for_it(session, services, user):
    application, item = _to_head_approval(session, services, user)
    assert item.signs
    with pytest.raises(SigningRefused) as caught:
        complete_task(session, services, item.id, user("kadis"), {"keputusan_kepala": "setujui"})
    assert "Masukkan passphrase" in caught.value.message
    session.rollback()


def test_no_other_user_can_sign_with_the_heads_key(session, services, user):
    application, item = _to_head_approval(session, services, user)
    other = new_head(session, services, enroll=False)
    with pytest.raises(SigningRefused) as caught:
        complete_task(
            session,
            services,
            item.id,
            other,
            {"keputusan_kepala": "setujui"},
            signature=SignatureRequest(DEMO_PASSPHRASE),
        )
    assert caught.value.reason == "no_certificate"
    session.rollback()
    # With a certificate of their own, the head's passphrase still does not open it.
    session.expire_all()
    other = new_head(session, services, passphrase="milik-sendiri-1")
    with pytest.raises(SigningRefused) as caught:
        complete_task(
            session,
            services,
            item.id,
            other,
            {"keputusan_kepala": "setujui"},
            signature=SignatureRequest(DEMO_PASSPHRASE),
        )
    assert caught.value.reason == "wrong_passphrase"
    session.rollback()


def test_certificate_pages_enrol_and_refuse_short_or_unconfirmed_passphrases(session, services, login, app):
    new_head(session, services, enroll=False)  # make sure the table has more than demo rows
    officer = login("fo", app.test_client())
    short = officer.post(
        "/petugas/sertifikat", data={"aksi": "aktifkan", "passphrase": "pendek", "konfirmasi": "pendek"}
    )
    assert short.status_code == 422 and "minimal 8" in short.get_data(as_text=True)
    mismatch = officer.post(
        "/petugas/sertifikat", data={"aksi": "aktifkan", "passphrase": "rahasia-fo-1", "konfirmasi": "rahasia-fo-2"}
    )
    assert mismatch.status_code == 422 and "tidak sama" in mismatch.get_data(as_text=True)
    done = officer.post(
        "/petugas/sertifikat", data={"aksi": "aktifkan", "passphrase": "rahasia-fo-1", "konfirmasi": "rahasia-fo-1"}
    )
    assert done.status_code == 302
    assert "Sertifikat aktif" in officer.get("/petugas/sertifikat").get_data(as_text=True)


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl client")
def test_timestamp_service_answers_a_standard_rfc3161_client(client, services, tmp_path):
    data = tmp_path / "data.txt"
    data.write_text("Izin Reklame REK-2026-000001")
    query = tmp_path / "q.tsq"
    subprocess.run(["openssl", "ts", "-query", "-data", str(data), "-sha256", "-cert", "-out", str(query)], check=True)
    response = client.post("/tsa", data=query.read_bytes(), content_type="application/timestamp-query")
    assert response.status_code == 200 and response.mimetype == "application/timestamp-reply"
    reply = tmp_path / "r.tsr"
    reply.write_bytes(response.data)
    pki = services.documents.pki
    tsa_pem = tmp_path / "tsa.pem"
    tsa_pem.write_bytes(cert_pem_bytes(pki.tsa_cert))
    verified = subprocess.run(
        [
            "openssl",
            "ts",
            "-verify",
            "-data",
            str(data),
            "-in",
            str(reply),
            "-CAfile",
            str(pki.ca_cert_path),
            "-untrusted",
            str(tsa_pem),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Verification: OK" in verified.stdout, verified.stderr
    refused = client.post("/tsa", data=b"bukan permintaan", content_type="application/timestamp-query")
    from asn1crypto import tsp

    assert tsp.PKIStatusInfo.load(refused.data[2:]).native["status"] == "rejection"
    assert client.post("/tsa", data=b"x", content_type="text/plain").status_code == 415


def _unreachable(url, timeout):
    raise OSError("connection refused")


@pytest.fixture
def simulator(tmp_path):
    served = {}  # the simulator needs its own address (for its CRL), known once the port is bound
    server = make_server("127.0.0.1", 0, lambda environ, start: served["app"](environ, start), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    served["app"] = create_simulator(
        tmp_path / "bsre", {"1671010101700001": ("Dr. Hendra Gunawan (Kepala Dinas)", "bsre-pass-123")}, base_url=url
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url, tmp_path / "bsre" / "ca.pem"
    server.shutdown()


def test_remote_provider_signs_through_the_bsre_like_service_and_is_audited(
    session, services, user, simulator, tmp_path, app
):
    url, sim_root = simulator
    remote = DocumentMaker(
        tmp_path / "pki-remote",
        organization="DPMPTSP Kota Contoh",
        seal_name="Segel",
        location="Kota Contoh",
        crl_url="http://127.0.0.1/pki/ca.crl",
        provider="remote",
        remote_url=url,
        extra_roots=[sim_root],
    )
    with_remote = dataclasses.replace(services, documents=remote)
    application, item = _to_head_approval(session, services, user)
    with pytest.raises(SigningRefused) as caught:
        complete_task(
            session,
            with_remote,
            item.id,
            user("kadis"),
            {"keputusan_kepala": "setujui"},
            signature=SignatureRequest("salah-salah"),
        )
    assert caught.value.reason == "wrong_passphrase"
    session.rollback()
    complete_task(
        session,
        with_remote,
        item.id,
        user("kadis"),
        {"keputusan_kepala": "setujui"},
        signature=SignatureRequest("bsre-pass-123"),
    )
    session.commit()
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    check = remote.verify(remote_pdf := with_remote.files.read(permit.sha256))
    assert check.ok and check.timestamp_ok and check.signer == "Dr. Hendra Gunawan (Kepala Dinas)"
    assert remote_pdf.startswith(b"%PDF")
    # The issuer's revocation list (the simulator's) was fetched, embedded and checked: B-LTA.
    assert check.revocation_checked is True and check.pades_level == "B-LTA" and check.ades == "TOTAL-PASSED"
    # When the issuer's list cannot be fetched now, the current status is unknown: never "tidak dicabut".
    remote.issuer_lists = IssuerRevocationLists(remote.trust_roots[1:], fetch=_unreachable)
    unchecked = remote.verify(remote_pdf)
    assert unchecked.revocation_checked is False and unchecked.trusted
    from engine.documents.verification import DocumentCheck, _findings

    said = [text for _ok, text in _findings(DocumentCheck(verification=unchecked), "WIB")]
    assert any("TIDAK dapat diperiksa" in t for t in said) and not any("tidak dicabut" in t for t in said)
    assert services.documents.verify(services.files.read(_sealed_receipt(session, application))).revocation_checked
    event = next(
        e
        for e in queries.history(session, application)
        if e.action == "document_issued" and e.summary["jenis"] == "izin"
    )
    assert event.summary["penyedia"] == "remote"


def test_a_remote_signers_revocation_is_read_from_the_issuers_list(simulator, tmp_path):
    """Revoked at the issuer (the simulator's CRL): what was signed before stays valid, what is
    signed afterwards is not, and an outside ETSI validator agrees."""
    import json
    import urllib.request
    from datetime import timedelta

    import time_machine

    from engine.core.clock import utcnow
    from engine.core.services import SignerCredential
    from tests.signing.etsi import etsi_indication

    url, sim_root = simulator
    remote = DocumentMaker(
        tmp_path / "pki-remote",
        organization="DPMPTSP Kota Contoh",
        seal_name="Segel",
        location="Kota Contoh",
        crl_url="http://127.0.0.1/pki/ca.crl",
        provider="remote",
        remote_url=url,
        extra_roots=[sim_root],
    )
    head = SignerCredential("1671010101700001", "Dr. Hendra Gunawan (Kepala Dinas)")
    before = remote.sign(pdf_bytes("sebelum"), head, "bsre-pass-123", reason="Uji", url=None)
    assert _simulator_ocsp(url, before, sim_root) == "GOOD"
    start = utcnow()
    with time_machine.travel(start + timedelta(hours=1)):
        request = urllib.request.Request(
            f"{url}/api/user/revoke",
            data=json.dumps({"nik": head.nik}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        assert urllib.request.urlopen(request).status == 200
    with time_machine.travel(start + timedelta(hours=2)):
        remote.issuer_lists = IssuerRevocationLists(remote.trust_roots[1:])  # the cached list is refreshed
        earlier = remote.verify(before)
        assert earlier.ok and earlier.revocation_checked and earlier.revoked_after_signing
        after = remote.sign(pdf_bytes("sesudah"), head, "bsre-pass-123", reason="Uji", url=None)
        late = remote.verify(after)
        assert late.revoked and not late.ok and late.pades_level == "B-LTA"
        root = sim_root.read_bytes()
        issuer_crl = urllib.request.urlopen(f"{url}/ca.crl").read()
        assert etsi_indication(after, root, at=utcnow(), downloaded_crl=issuer_crl) != "TOTAL-PASSED"
        assert _simulator_ocsp(url, after, sim_root) == "REVOKED"  # its OCSP responder agrees with its CRL


def _simulator_ocsp(url: str, pdf: bytes, root_path) -> str:
    """What the simulator's OCSP responder (named in the signer's certificate) says of the signer."""
    import urllib.request

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509 import ocsp

    from signing.certs import ocsp_urls
    from signing.validation import pdf_signatures

    signer = x509.load_der_x509_certificate(pdf_signatures(pdf)[0].signer_cert.dump())
    issuer = x509.load_pem_x509_certificate(root_path.read_bytes())
    assert ocsp_urls(signer) == [f"{url}/ocsp"]
    der = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(signer, issuer, hashes.SHA1())
        .build()
        .public_bytes(serialization.Encoding.DER)
    )
    request = urllib.request.Request(
        ocsp_urls(signer)[0], data=der, headers={"Content-Type": "application/ocsp-request"}
    )
    return ocsp.load_der_ocsp_response(urllib.request.urlopen(request).read()).certificate_status.name


def _sealed_receipt(session, application) -> str:
    return session.scalar(
        select(Document.sha256).where(Document.application_id == application.id, Document.kind == "tanda_terima")
    )


def test_remote_provider_reports_unknown_signer_and_unreachable_service(simulator):
    url, _ = simulator
    from engine.core.services import SignerCredential

    with pytest.raises(SigningRefused) as caught:
        RemoteProvider(url).sign(pdf_bytes(), SignerCredential("9999999999999999", "X"), "a", reason="r", url=None)
    assert caught.value.reason == "not_registered"
    with pytest.raises(SigningRefused) as caught:
        RemoteProvider("http://127.0.0.1:9", timeout=2).sign(
            pdf_bytes(), SignerCredential("1", "X"), "a", reason="r", url=None
        )
    assert caught.value.reason == "provider_unavailable"


@pytest.fixture
def manual_sip(session):
    permit_type = session.scalar(select(PermitType).where(PermitType.code == "surat-izin-praktik"))
    permit_type.signing_mode = "manual"
    session.commit()
    yield permit_type
    permit_type.signing_mode = "elektronik"
    session.commit()


def test_hand_signing_mode_issues_a_draft_then_archives_the_scanned_original(
    session, services, user, manual_sip, client
):
    application = submit(session, services, user, code="surat-izin-praktik")
    while application.status == "diproses":
        item = open_item(session, application)
        assert not item.signs  # no passphrase is asked in this mode
        work(session, services, user, application)
    draft = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    assert draft.status == "menunggu_ttd" and draft.signature is None
    with pytest.raises(ValidationFailed):
        permits.upload_hand_signed(session, services, user("fo"), draft.id, Upload("berkas", "x.exe", b"MZ\x90"))
    session.rollback()
    scan = permits.upload_hand_signed(
        session, services, user("fo"), draft.id, Upload("berkas", "izin-ttd.jpg", image_bytes("JPEG"))
    )
    session.commit()
    assert scan.signature == "basah" and session.get(Document, draft.id).status == "diganti"
    page = client.get(f"/verify/{draft.verify_code}").get_data(as_text=True)
    assert "Dokumen ASLI dan SAH" in page and "tanda tangan basah" in page and scan.sha256 in page
    original = client.get(f"/verify/{draft.verify_code}/asli")
    # The archived scan is the picture re-encoded (pixels only), and that is what is served.
    assert original.status_code == 200 and original.data == services.files.read(scan.sha256)
    assert original.data[:3] == b"\xff\xd8\xff"


def test_unsigned_or_unknown_pdf_is_reported_plainly(client):
    page = client.post(
        "/verifikasi",
        data={"berkas": (io.BytesIO(pdf_bytes("surat lain")), "lain.pdf")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "tidak memuat tanda tangan elektronik" in page and "TIDAK sama dengan dokumen mana pun" in page
    bad = client.post(
        "/verifikasi", data={"berkas": (io.BytesIO(b"GIF89a"), "x.gif")}, content_type="multipart/form-data"
    )
    assert bad.status_code == 422 and "bukan PDF" in bad.get_data(as_text=True)


def test_signing_pauses_after_five_wrong_passphrases(session, services, user, login, app):
    application, item = _to_head_approval(session, services, user)
    head = login("kadis", app.test_client())
    head.post(f"/petugas/tugas/{item.id}/ambil")
    answers = [
        head.post(
            f"/petugas/tugas/{item.id}", data={"keputusan_kepala": "setujui", "passphrase": f"keliru-{i}"}
        ).get_data(as_text=True)
        for i in range(6)
    ]
    assert all("Passphrase salah" in a for a in answers[:5])
    assert "dihentikan sementara" in answers[5]
    right = head.post(f"/petugas/tugas/{item.id}", data={"keputusan_kepala": "setujui", "passphrase": DEMO_PASSPHRASE})
    assert right.status_code == 422 and "dihentikan sementara" in right.get_data(as_text=True)
    session.expire_all()
    assert (
        session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
        is None
    )
    # The lock is audited once; an administrator lifts it and the right passphrase signs.
    from engine.core.models import AuditEvent

    locks = session.scalars(select(AuditEvent).where(AuditEvent.action == "signing_locked")).all()
    assert len(locks) == 1 and locks[0].summary["user"] == "kadis@demo.test"
    admin = login("admin", app.test_client())
    page = admin.get("/admin/sertifikat").get_data(as_text=True)
    assert "Buka kunci penandatanganan" in page
    head_id = user("kadis").id
    assert admin.post("/admin/sertifikat", data={"aksi": "buka-kunci", "user_id": head_id}).status_code == 302
    signed = head.post(f"/petugas/tugas/{item.id}", data={"keputusan_kepala": "setujui", "passphrase": DEMO_PASSPHRASE})
    assert signed.status_code == 302
    assert (
        session.scalar(select(AuditEvent).where(AuditEvent.action == "signing_unlocked")).summary["user"]
        == "kadis@demo.test"
    )


def test_after_a_revocation_a_new_certificate_waits_for_an_admins_approval(session, services, user, login, app):
    from engine.core.errors import SigningRefused
    from engine.core.models import AuditEvent
    from engine.documents import certificates
    from tests.signing.helpers import new_head

    head = new_head(session, services)
    old = certificates.active_certificate(session, head)
    certificates.revoke(session, services, user("admin"), old.id, "Kunci diduga bocor")
    session.commit()
    with pytest.raises(SigningRefused) as held:
        certificates.enroll(session, services, head, "kepala-baru-456", "kepala-baru-456")
    assert held.value.reason == "awaiting_approval"
    session.rollback()
    admin = login("admin", app.test_client())
    assert "Setujui sertifikat baru" in admin.get("/admin/sertifikat").get_data(as_text=True)
    assert admin.post("/admin/sertifikat", data={"aksi": "setujui", "user_id": head.id}).status_code == 302
    session.expire_all()
    fresh = certificates.enroll(
        session, services, session.get(type(head), head.id), "kepala-baru-456", "kepala-baru-456"
    )
    session.commit()
    assert fresh.status == "aktif"
    approval = session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate_renewal_approved"))
    assert approval.summary["user"] == head.email and approval.actor_id == user("admin").id
