"""Cost of signing a permit: the app's signature beside a bare pyHanko signature, and validation.

App signature: what happens when the head approves a permit with their passphrase: open their
PKCS#12 with it, sign with a visible QR stamp (PAdES), timestamp from the in-app RFC 3161
authority, embed the validation data and add a document timestamp (B-LTA). Bare: pyHanko's ``sign_pdf`` with the same
(already loaded) EC P-256 key on the same PDF, no timestamp, no stamp, no validation data; once
as pyHanko does by default (a dry run sizes the container) and once with the size reserved.
Prints medians, the ratios (also against a bare signature with the same timestamp, the like-for-like
part of B-LTA's cost), the cost of renewing an archive timestamp, and the median time to validate a
signed permit (ETSI AdES LTA validation, as the verify page does).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

RUNS = int(os.environ.get("BENCH_RUNS", "40"))


def _median_ms(fn) -> float:
    fn()  # warm-up (imports, caches)
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main() -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    from engine.core.services import SignerCredential
    from signing.certs import open_p12
    from signing.maker import DocumentMaker
    from signing.pades import SIGNATURE_BYTES, make_signer
    from tests.factories import pdf_bytes

    pki_dir = Path(tempfile.mkdtemp(prefix="ptsp-bench-pki-"))
    maker = DocumentMaker(
        pki_dir,
        organization="DPMPTSP Kota Contoh",
        seal_name="Segel Elektronik",
        location="Kota Contoh",
        crl_url="http://127.0.0.1:5000/pki/ca.crl",
    )
    passphrase = "bench-passphrase-1"
    issued = maker.issue_certificate(name="Kepala Dinas", nik="1671010101700001", passphrase=passphrase)
    credential = SignerCredential("1671010101700001", "Kepala Dinas", issued.p12)
    pdf = pdf_bytes("Surat Izin " * 200)
    url = "http://127.0.0.1:5000/verify/abcdefghijkl"

    key, cert, chain = open_p12(issued.p12, passphrase)
    bare_signer = make_signer(key, cert, chain)

    def bare(reserved=None):
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        signers.sign_pdf(
            writer, signers.PdfSignatureMetadata(field_name="Sig"), signer=bare_signer, bytes_reserved=reserved
        )

    def app_sign():
        return maker.sign(pdf, credential, passphrase, reason="Izin", url=url)

    signed = app_sign()

    def validate():
        assert maker.verify(signed).ok

    def bare_timestamped():
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        signers.sign_pdf(
            writer,
            signers.PdfSignatureMetadata(field_name="Sig", md_algorithm="sha256"),
            signer=bare_signer,
            timestamper=maker.timestamper,
            bytes_reserved=SIGNATURE_BYTES,
        )

    bare_ms = _median_ms(bare)
    bare_reserved_ms = _median_ms(lambda: bare(SIGNATURE_BYTES))
    app_ms = _median_ms(app_sign)
    open_ms = _median_ms(lambda: open_p12(issued.p12, passphrase))
    validate_ms = _median_ms(validate)
    stamped_ms = _median_ms(bare_timestamped)
    renew_ms = _median_ms(lambda: maker.renew_archive(signed))
    print(f"runs: {RUNS}; EC P-256 keys; signed permit {len(signed) / 1024:.1f} KiB")
    print(f"bare pyHanko signature (key loaded, no timestamp): median {bare_ms:.1f} ms")
    print(
        f"app signature (PKCS#12 opened with the passphrase, QR stamp, in-app timestamp, B-LTA): "
        f"median {app_ms:.1f} ms (of which opening the PKCS#12: {open_ms:.1f} ms)"
    )
    print(
        f"bare pyHanko signature with the container size reserved up front (as the app does): "
        f"median {bare_reserved_ms:.1f} ms"
    )
    print(
        f"ratio: {app_ms / bare_ms:.2f}x (aim: at most 1.2x); "
        f"against the reserved-size bare signature: {app_ms / bare_reserved_ms:.2f}x"
    )
    print(
        f"bare pyHanko signature with the same in-app timestamp, size reserved: median {stamped_ms:.1f} ms; "
        f"B-LTA (stamp, DSS, document timestamp) costs {app_ms / stamped_ms:.2f}x that"
    )
    print(f"archive timestamp renewal (current CRL in the DSS, new document timestamp): median {renew_ms:.1f} ms")
    print(
        f"validation of a signed permit (ETSI AdES LTA: signature, timestamps, chain, CRL, changes): "
        f"median {validate_ms:.1f} ms"
    )


if __name__ == "__main__":
    main()
