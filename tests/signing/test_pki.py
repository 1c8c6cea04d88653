"""The agency PKI on disk: what its certificates say about where revocation is published."""

from __future__ import annotations


def test_the_tsa_and_seal_certificates_follow_a_moved_public_address(tmp_path):
    """With PUBLIC_BASE_URL changed, validators must find the CRL where it is served now."""
    from signing.certs import crl_urls
    from signing.pki import AgencyPki

    first = AgencyPki(
        tmp_path, organization="DPMPTSP Uji", crl_url="http://127.0.0.1:5000/pki/ca.crl", seal_name="Segel Uji"
    )
    moved = AgencyPki(
        tmp_path, organization="DPMPTSP Uji", crl_url="https://izin.kota.go.id/pki/ca.crl", seal_name="Segel Uji"
    )
    for stem in ("tsa", "seal"):
        before, after = getattr(first, f"{stem}_cert"), getattr(moved, f"{stem}_cert")
        assert crl_urls(after) == ["https://izin.kota.go.id/pki/ca.crl"]
        assert after.public_key() == before.public_key() and after.serial_number != before.serial_number
    assert moved.ca_cert == first.ca_cert
    again = AgencyPki(
        tmp_path, organization="DPMPTSP Uji", crl_url="https://izin.kota.go.id/pki/ca.crl", seal_name="Segel Uji"
    )
    assert again.seal_cert == moved.seal_cert  # nothing reissued while the address stays


def test_a_personal_certificate_naming_a_moved_address_is_certified_again_for_the_same_key(tmp_path):
    """After PUBLIC_BASE_URL changed, an officer's certificate is reissued for the key it already
    has (the passphrase opens it at signing), to the same end date; a current one is left alone."""
    import pytest
    from cryptography import x509

    from engine.core.errors import SigningRefused
    from signing.certs import crl_urls, open_p12
    from signing.pki import AgencyPki

    old = AgencyPki(
        tmp_path, organization="DPMPTSP Uji", crl_url="http://127.0.0.1:5000/pki/ca.crl", seal_name="Segel Uji"
    )
    issued = old.issue_personal(name="Kepala Uji", nik="3171010101800001", passphrase="rahasia-kepala")
    moved = AgencyPki(
        tmp_path, organization="DPMPTSP Uji", crl_url="https://izin.kota.go.id/pki/ca.crl", seal_name="Segel Uji"
    )
    with pytest.raises(SigningRefused):
        moved.recertify_personal(issued.p12, "bukan-ini")
    again = moved.recertify_personal(issued.p12, "rahasia-kepala")
    key, cert, chain = open_p12(again.p12, "rahasia-kepala")
    before = x509.load_der_x509_certificate(issued.cert_der)
    assert crl_urls(cert) == ["https://izin.kota.go.id/pki/ca.crl"] and cert.subject == before.subject
    assert cert.public_key() == before.public_key() and cert.serial_number != before.serial_number
    assert cert.not_valid_after_utc == before.not_valid_after_utc and chain == [moved.ca_cert]
    assert moved.recertify_personal(again.p12, "rahasia-kepala") is None


def test_a_timestamping_key_replaced_by_another_process_is_taken_up_at_its_next_read(tmp_path):
    """The scheduler's process replaces the TSA key; a web worker's PKI takes up the new one."""
    from datetime import timedelta

    import time_machine

    from engine.core.clock import utcnow
    from signing.pki import SERVICE_LIFETIME, AgencyPki

    scheduler = AgencyPki(tmp_path, organization="DPMPTSP Uji", crl_url="http://x/pki/ca.crl", seal_name="Segel")
    worker = AgencyPki(tmp_path, organization="DPMPTSP Uji", crl_url="http://x/pki/ca.crl", seal_name="Segel")
    assert not worker.reload_tsa_if_changed()
    with time_machine.travel(utcnow() + SERVICE_LIFETIME - timedelta(days=700)):
        assert scheduler.rotate_tsa_if_due()
    assert worker.tsa_cert != scheduler.tsa_cert
    assert worker.reload_tsa_if_changed() and worker.tsa_cert == scheduler.tsa_cert
    assert worker.tsa_key.public_key() == scheduler.tsa_cert.public_key()
    assert not worker.reload_tsa_if_changed()
