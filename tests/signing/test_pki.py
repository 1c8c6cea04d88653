"""The agency PKI on disk: what its certificates say about where revocation is published."""
from __future__ import annotations


def test_the_tsa_and_seal_certificates_follow_a_moved_public_address(tmp_path):
    """With PUBLIC_BASE_URL changed, validators must find the CRL where it is served now."""
    from signing.pki import AgencyPki, crl_urls

    first = AgencyPki(tmp_path, organization="DPMPTSP Uji", crl_url="http://127.0.0.1:5000/pki/ca.crl",
                      seal_name="Segel Uji")
    moved = AgencyPki(tmp_path, organization="DPMPTSP Uji", crl_url="https://izin.kota.go.id/pki/ca.crl",
                      seal_name="Segel Uji")
    for stem in ("tsa", "seal"):
        before, after = getattr(first, f"{stem}_cert"), getattr(moved, f"{stem}_cert")
        assert crl_urls(after) == ["https://izin.kota.go.id/pki/ca.crl"]
        assert after.public_key() == before.public_key() and after.serial_number != before.serial_number
    assert moved.ca_cert == first.ca_cert
    again = AgencyPki(tmp_path, organization="DPMPTSP Uji", crl_url="https://izin.kota.go.id/pki/ca.crl",
                      seal_name="Segel Uji")
    assert again.seal_cert == moved.seal_cert  # nothing reissued while the address stays
