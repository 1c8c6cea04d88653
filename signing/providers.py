"""Who applies an officer's signature: keys held here (PKCS#12 + passphrase) or a remote signing
service shaped like BSrE's (send the PDF, NIK, passphrase and stamp placement; get the signed PDF).

Both raise ``SigningRefused`` with a reason the audit trail keeps: ``wrong_passphrase``,
``not_registered``, ``no_certificate``, ``provider_unavailable``, ``provider_error``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from engine.core.errors import SigningRefused
from engine.core.localtime import Phrase
from engine.core.services import SignerCredential as Credential
from signing.pades import STAMP_BOX, make_signer, sign_pdf

from .certs import open_p12


@dataclass(frozen=True)
class Placement:
    page: int = 1
    box: tuple = STAMP_BOX


class LocalKeyProvider:
    name = "lokal"

    def __init__(self, timestamper, context_for, location: str, stamp_time=lambda: None):
        self._timestamper = timestamper
        self._context_for = context_for
        self.location = location
        self._stamp_time = stamp_time

    def sign(
        self,
        pdf: bytes,
        credential: Credential,
        passphrase: str,
        *,
        reason: str,
        url: str | None,
        placement: Placement = Placement(),
    ) -> bytes:
        if not credential.p12:
            raise SigningRefused(
                Phrase(
                    "Anda belum memiliki sertifikat elektronik aktif. Aktifkan sertifikat "
                    "di menu Sertifikat Saya terlebih dahulu."
                ),
                reason="no_certificate",
            )
        # The key is decrypted once for this signature and dropped with the signer afterwards.
        key, cert, chain = open_p12(credential.p12, passphrase)
        signer = make_signer(key, cert, chain)
        return sign_pdf(
            pdf,
            signer,
            timestamper=self._timestamper,
            context=self._context_for(None),
            reason=reason,
            location=self.location,
            signer_name=credential.name,
            url=url,
            box=placement.box,
            stamp_time=self._stamp_time(),
        )


class RemoteProvider:
    """Client of a BSrE-like signing API: ``POST {base}/api/sign/pdf`` (multipart)."""

    name = "remote"

    def __init__(self, base_url: str, *, client_id: str = "", timeout: float = 30):
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self.timeout = timeout

    def sign(
        self,
        pdf: bytes,
        credential: Credential,
        passphrase: str,
        *,
        reason: str,
        url: str | None,
        placement: Placement = Placement(),
    ) -> bytes:
        if not credential.nik:
            raise SigningRefused(Phrase("NIK penandatangan belum tercatat pada akun ini."), reason="not_registered")
        x1, y1, x2, y2 = placement.box
        fields = {
            "nik": credential.nik,
            "passphrase": passphrase or "",
            "tampilan": "visible",
            "page": str(placement.page),
            "xAxis": str(x1),
            "yAxis": str(y1),
            "width": str(x2 - x1),
            "height": str(y2 - y1),
            "reason": reason,
            "linkQR": url or "",
            "client_id": self.client_id,
        }
        body, content_type = _multipart(fields, {"file": ("dokumen.pdf", pdf, "application/pdf")})
        request = urllib.request.Request(
            f"{self.base_url}/api/sign/pdf", data=body, method="POST", headers={"Content-Type": content_type}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            raise _refusal(exc) from None
        except (urllib.error.URLError, TimeoutError, OSError):
            raise SigningRefused(
                Phrase("Layanan tanda tangan elektronik tidak dapat dihubungi. Coba lagi beberapa saat lagi."),
                reason="provider_unavailable",
            ) from None


def _refusal(exc: urllib.error.HTTPError) -> SigningRefused:
    try:
        payload = json.loads(exc.read().decode("utf-8"))
    except ValueError:
        payload = {}
    code = payload.get("status_code")
    if code == 2031:
        return SigningRefused(
            Phrase("Passphrase salah. Tidak ada dokumen yang ditandatangani."), reason="wrong_passphrase"
        )
    if code == 1111:
        return SigningRefused(
            Phrase("Penandatangan belum terdaftar pada layanan tanda tangan elektronik."), reason="not_registered"
        )
    message = payload.get("error") or f"HTTP {exc.code}"
    return SigningRefused(
        Phrase("Layanan tanda tangan elektronik menolak permintaan: %(message)s", message=message),
        reason="provider_error",
    )


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, mime) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {mime}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
