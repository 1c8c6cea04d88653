"""What the verbs need from the outside world, handed in by the composition root.

The web app, the CLI, the scheduler and the tests each build one ``Services``; the engine never
reads configuration or imports the web layer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol

from .files import FileStore


class DocumentMaker(Protocol):
    def render(self, kind: str, facts: dict) -> bytes:
        """A PDF of the given kind (tanda_terima, izin, penolakan) from plain facts."""

    def sign(self, pdf: bytes, *, reason: str, signer_name: str) -> bytes:
        """The PDF with the agency's electronic signature added."""


@dataclass
class Agency:
    name: str = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
    short_name: str = "DPMPTSP"
    government: str = "Pemerintah Kota Contoh"
    city: str = "Kota Contoh"
    address: str = "Jl. Merdeka No. 1, Kota Contoh"
    head_name: str = "Kepala Dinas"
    head_rank: str = "Pembina Utama Muda (IV/c)"
    head_nip: str = "197001011990031001"


@dataclass
class Services:
    files: FileStore
    documents: DocumentMaker
    verify_url: Callable[[str], str]
    agency: Agency = field(default_factory=Agency)
