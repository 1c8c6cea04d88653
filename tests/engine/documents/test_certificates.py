"""Officers' certificates: an imported PKCS#12 needs its passphrase, a key is certified again when the CA moved."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.casework import permits
from engine.core.errors import SigningRefused
from engine.core.models import AuditEvent
from engine.documents import certificates
from engine.documents.documents import SignatureRequest
from tests.factories import submit
from tests.signing.helpers import new_head


def test_imported_pkcs12_needs_its_passphrase(session, services, user):
    issued = services.documents.issue_certificate(
        name="Pejabat BSrE", nik="1671010101700099", passphrase="p12-impor-123"
    )
    officer = new_head(session, services, enroll=False)
    with pytest.raises(SigningRefused):
        certificates.import_p12(session, services, officer, issued.p12, "salah-123")
    certificate = certificates.import_p12(session, services, officer, issued.p12, "p12-impor-123")
    session.commit()
    assert certificate.source == "import" and certificates.active_certificate(session, officer) == certificate


def test_after_the_public_address_moved_the_next_signature_certifies_the_key_again(session, services, user):
    """A certificate naming the old CRL address is reissued for the same key when its holder next
    signs; what was signed before stays valid, and revoking the key revokes both certificates."""
    from cryptography import x509

    from engine.documents.models import SignerCertificate
    from signing.certs import crl_urls

    head = new_head(session, services)
    application = submit(session, services, user)
    first = permits.warn(
        session,
        services,
        head,
        application.id,
        "Berkas tidak sesuai aslinya.",
        "Perwali No. 19/2019 Pasal 19",
        "Unggah berkas asli.",
        SignatureRequest("kepala-baru-123"),
    )
    session.commit()
    old = certificates.active_certificate(session, head)
    pki = services.documents.pki
    earlier_url = pki.crl_url
    pki.crl_url = "https://izin.kota-baru.go.id/pki/ca.crl"
    try:
        with pytest.raises(SigningRefused):
            permits.warn(
                session,
                services,
                head,
                application.id,
                "Berkas tidak sesuai aslinya.",
                "Perwali No. 19/2019 Pasal 19",
                "Unggah berkas asli.",
                SignatureRequest("bukan-passphrase"),
            )
        session.rollback()
        assert certificates.active_certificate(session, head).id == old.id  # nothing stored
        second = permits.warn(
            session,
            services,
            head,
            application.id,
            "Berkas belum juga diperbaiki.",
            "Perwali No. 19/2019 Pasal 19",
            "Unggah berkas asli.",
            SignatureRequest("kepala-baru-123"),
        )
        session.commit()
        renewed = certificates.active_certificate(session, head)
        assert renewed.id != old.id and renewed.recertifies_id == old.id
        assert crl_urls(x509.load_der_x509_certificate(renewed.cert_der)) == [pki.crl_url]
        assert (
            x509.load_der_x509_certificate(renewed.cert_der).public_key()
            == x509.load_der_x509_certificate(old.cert_der).public_key()
        )
        assert session.get(SignerCertificate, old.id).status == "diganti"
        assert second.signer_certificate_id == renewed.id
        assert session.scalar(
            select(AuditEvent).where(AuditEvent.action == "certificate_recertified", AuditEvent.actor_id == head.id)
        )
        for doc in (first, second):
            assert services.documents.verify(services.files.read(doc.sha256)).ok
        certificates.revoke(session, services, user("admin"), renewed.id, "Kunci diduga bocor")
        session.commit()
        assert session.get(SignerCertificate, old.id).status == "dicabut"
        listed = {format(r.serial_number, "x") for r in x509.load_der_x509_crl(services.documents.crl())}
        assert {old.serial, renewed.serial} <= listed
    finally:
        pki.crl_url = earlier_url
