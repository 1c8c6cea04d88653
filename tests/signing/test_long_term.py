"""Signatures that stay provable for years: every permit is PAdES B-LTA, and an outside ETSI
validator (pyHanko's AdES process, only the agency root trusted, no network) passes it today,
eight days later and two years later, given the revocation list published at that time."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from engine.core.clock import utcnow
from engine.core.errors import SigningRefused
from signing.certs import open_p12
from signing.pades import make_signer, sign_pdf
from tests.factories import pdf_bytes
from tests.signing.etsi import etsi_indication
from tests.signing.test_documents import issued  # noqa: F401 (fixture)
from webapp.scheduler import sweep_once
from webapp.seeding import DEMO_PASSPHRASE


@pytest.fixture(autouse=True)
def pki_restored(services):
    """These tests move the clock years ahead, where the scheduler replaces the TSA key and
    republishes the CRL: put the shared PKI back as it was for the tests that follow."""
    maker = services.documents
    folder = maker.pki.directory
    saved = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    tsa = (maker.pki.tsa_cert, maker.pki.tsa_key, maker.tsa)
    yield
    for name, data in saved.items():
        (folder / name).write_bytes(data)
    maker.pki.tsa_cert, maker.pki.tsa_key, maker.tsa = tsa
    maker.timestamper.authority = maker.tsa
    maker.renew_crl()


def test_a_permit_is_b_lta_and_passes_etsi_validation_today_after_8_days_and_after_2_years(
    issued, services, client, app
):
    permit = issued("izin")
    pdf = services.files.read(permit.sha256)
    root = services.documents.pki.ca_cert_path.read_bytes()
    now = utcnow()
    # Today the validation data inside the file is enough.
    assert etsi_indication(pdf, root, at=now) == "TOTAL-PASSED"
    verdict = services.documents.verify(pdf)
    assert verdict.pades_level == "B-LTA" and verdict.ades == "TOTAL-PASSED" and verdict.ok
    for later in (timedelta(days=8), timedelta(days=730)):
        with time_machine.travel(now + later):
            sweep_once(app)  # the scheduler republishes the revocation list meanwhile
            crl = client.get("/pki/ca.crl").data
            assert etsi_indication(pdf, root, at=now + later, downloaded_crl=crl) == "TOTAL-PASSED", later
            again = services.documents.verify(pdf)
            assert again.ok and again.ades == "TOTAL-PASSED", later
            # The embedded list alone is out of date by then: a verifier needs the current one.
            assert etsi_indication(pdf, root, at=now + later) != "TOTAL-PASSED"


def test_a_signature_outlives_its_certificate_proven_by_its_timestamps(issued, services, app):
    """Past the signer certificate's expiry the permit stays valid and says why; the expired key
    signs nothing more."""
    permit = issued("izin")
    pdf = services.files.read(permit.sha256)
    expiry = services.documents.verify(pdf).certificate_not_after
    key, cert, chain = open_p12(permit.signer_certificate.p12, DEMO_PASSPHRASE)
    with time_machine.travel(expiry + timedelta(days=30)):
        sweep_once(app)
        verdict = services.documents.verify(pdf)
        assert verdict.ok and verdict.expired_after_signing and not verdict.revoked
        with pytest.raises(SigningRefused):
            sign_pdf(
                pdf_bytes("sesudah kedaluwarsa"),
                make_signer(key, cert, chain),
                timestamper=services.documents.timestamper,
                context=services.documents.context(),
                reason="Uji",
                location="Kota",
                signer_name="Kepala",
                url=None,
            )


def test_the_archive_timestamp_is_renewed_before_the_timestamp_authoritys_certificate_expires(
    issued, services, session, client, app
):
    """Four years on, the scheduler replaces the TSA key and adds a new archive timestamp; the
    copy downloaded before still verifies as the original, and past the old TSA certificate's
    expiry the document stays valid."""
    from sqlalchemy import select

    from engine.core.models import AuditEvent
    from engine.documents.models import ArchivedRevision, Document

    permit = issued("izin")
    receipt = session.scalar(
        select(Document).where(Document.application_id == permit.application_id, Document.kind == "tanda_terima")
    )
    downloaded, first_sha, number = services.files.read(receipt.sha256), receipt.sha256, receipt.number
    old_tsa = services.documents.pki.tsa_cert
    due = receipt.archive_renew_at
    assert due is not None and due.year >= utcnow().year + 3
    root = services.documents.pki.ca_cert_path.read_bytes()
    with time_machine.travel(due + timedelta(days=1)):
        sweep_once(app)
        session.expire_all()
        renewed = session.get(Document, receipt.id)
        assert renewed.sha256 != first_sha and renewed.archive_renew_at > due + timedelta(days=365)
        assert services.documents.pki.tsa_cert.serial_number != old_tsa.serial_number
        pdf = services.files.read(renewed.sha256)
        assert pdf.startswith(downloaded)  # only appended: the signed bytes are untouched
        verdict = services.documents.verify(pdf)
        stamps = [e for e in verdict.signatures if e.kind == "cap_waktu"]
        assert verdict.ok and len(stamps) == 2 and all(e.ok for e in stamps)
        crl = client.get("/pki/ca.crl").data
        assert etsi_indication(pdf, root, at=utcnow(), downloaded_crl=crl) == "TOTAL-PASSED"
        assert session.scalar(select(ArchivedRevision).where(ArchivedRevision.document_id == receipt.id))
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "archive_timestamp_renewed"))
        # The copy the applicant downloaded years ago is still the agency's original.
        body = client.post("/api/v1/verify", data=downloaded, content_type="application/pdf").get_json()
        assert body["matches_archive"] is True and body["document"]["number"] == number
    with time_machine.travel(old_tsa.not_valid_after_utc + timedelta(days=30)):
        sweep_once(app)
        late = services.documents.verify(pdf)
        assert late.ok and all(e.ok for e in late.signatures), late


def test_a_timestamping_key_the_scheduler_replaced_is_used_by_every_process_from_its_next_stamp(services, app):
    """Web workers hold the PKI in memory: the scheduler's process replaces the TSA key on disk,
    and the next seal made in this process carries a timestamp from the new key."""
    from signing.pki import AgencyPki
    from signing.validation import pdf_signatures, tst_signed_data

    maker = services.documents
    scheduler = AgencyPki(
        maker.pki.directory,
        organization=maker.pki.organization,
        crl_url=maker.pki.crl_url,
        seal_name=maker.pki.seal_name,
        key_secret=maker.pki._secret,
    )
    with time_machine.travel(maker.pki.tsa_cert.not_valid_after_utc - timedelta(days=700)):
        assert scheduler.rotate_tsa_if_due()
        sealed = maker.seal(pdf_bytes("setelah penggantian kunci TSA"), reason="Uji", url=None)
        token = tst_signed_data(pdf_signatures(sealed)[0])[0]
        serials = {c.chosen.serial_number for c in token["certificates"]}
        assert scheduler.tsa_cert.serial_number in serials
        assert maker.pki.tsa_cert == scheduler.tsa_cert
        assert maker.verify(sealed).ok
