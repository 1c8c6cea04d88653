"""Signing judges certificates at the time of each signature: a validation context made when the app
started froze that moment, so a certificate issued later could neither sign nor verify until a
restart. The clock is moved forward for real (time-machine), as a long-running server's would be."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from engine.casework.tasks import claim, complete_task
from engine.core.clock import utcnow
from engine.documents.documents import SignatureRequest
from engine.documents.models import Document
from tests.factories import pdf_bytes
from tests.signing.helpers import new_head
from tests.signing.test_signers import _to_head_approval


def test_a_certificate_issued_after_the_app_started_signs_at_once_and_verifies_as_trusted(session, services, user):
    maker = services.documents
    maker.verify(maker.seal(pdf_bytes("sebelum"), reason="Uji", url=None))  # the maker is warm, as in a running app
    with time_machine.travel(utcnow() + timedelta(days=45), tick=True):
        head = new_head(session, services)  # enrolled 45 days after the app started
        application, item = _to_head_approval(session, services, user)
        claim(session, item.id, head)
        complete_task(
            session,
            services,
            item.id,
            head,
            {"keputusan_kepala": "setujui"},
            signature=SignatureRequest("kepala-baru-123"),
        )
        session.commit()
        permit = session.scalar(
            select(Document).where(Document.application_id == application.id, Document.kind == "izin")
        )
        assert permit.signature == "tte" and permit.signer_id == head.id
        verdict = maker.verify(services.files.read(permit.sha256))
        assert verdict.ok and verdict.trusted and verdict.timestamp_ok, verdict
        assert verdict.signer == head.name
        # The seal, whose certificate dates from the app's start, still verifies at the new time too.
        sealed = maker.verify(maker.seal(pdf_bytes("sesudah"), reason="Uji", url=None))
        assert sealed.ok and sealed.trusted


def test_a_signature_the_validator_refuses_is_a_clear_refusal_and_stores_nothing(session, services, user):
    import pytest

    from engine.core.errors import SigningRefused
    from signing.certs import open_p12
    from signing.pades import make_signer, sign_pdf

    # A certificate valid only from tomorrow cannot sign today: the officer is told, nothing is signed.
    pki = services.documents.pki
    with time_machine.travel(utcnow() + timedelta(days=1), tick=False):
        issued = pki.issue_personal(name="Petugas Esok", nik=None, passphrase="rahasia-123")
    key, cert, chain = open_p12(issued.p12, "rahasia-123")
    with pytest.raises(SigningRefused) as refused:
        sign_pdf(
            pdf_bytes("uji"),
            make_signer(key, cert, chain),
            timestamper=services.documents.timestamper,
            context=services.documents.context(),
            reason="Uji",
            location="Kota Contoh",
            signer_name="Petugas",
            url="http://127.0.0.1:5000/verify/x",
        )
    assert refused.value.reason == "certificate_invalid" and "tidak dapat divalidasi" in refused.value.message


def test_the_agency_keys_are_encrypted_at_rest_and_private(services):
    import stat

    directory = services.documents.pki.directory
    for stem in ("ca", "tsa", "seal"):
        path = directory / f"{stem}-key.pem"
        assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----"), stem
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, stem


def test_keys_of_an_older_installation_are_encrypted_when_first_read(tmp_path):
    from signing.pki import AgencyPki

    AgencyPki(tmp_path, organization="Lama", crl_url="http://127.0.0.1/ca.crl", seal_name="Segel")  # unencrypted
    assert (tmp_path / "ca-key.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    again = AgencyPki(
        tmp_path,
        organization="Lama",
        crl_url="http://127.0.0.1/ca.crl",
        seal_name="Segel",
        key_secret=b"rahasia-kunci-dinas",
    )
    assert (tmp_path / "ca-key.pem").read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert again.publish_crl([])  # the CA key still signs


def test_the_scheduler_keeps_the_revocation_list_fresh_with_nothing_revoked(app, services):
    """A CRL lives a day; the sweep republishes it once half has passed, so what a signature
    embeds and what validators fetch is never out of date."""
    from cryptography import x509

    from webapp.scheduler import sweep_once

    def next_update():
        return x509.load_der_x509_crl(services.documents.crl()).next_update_utc

    first = next_update()
    assert timedelta(hours=23) < first - utcnow() <= timedelta(days=1)
    with time_machine.travel(utcnow() + timedelta(hours=13)):
        sweep_once(app)
        renewed = next_update()
        assert renewed - utcnow() > timedelta(hours=23)
    assert renewed > first
