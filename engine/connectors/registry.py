"""The connectors this installation has, built from its configuration. A service without a base URL
is not connected: its checks are skipped and say so, nothing waits on it."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.connectors.bank import BankPayments, SnapBank
from engine.connectors.deeds import AhuService, CompanyRegister
from engine.connectors.dukcapil import DukcapilWebService, PopulationRegistry
from engine.connectors.http import Endpoint, HttpService
from engine.connectors.messaging import GatewayService, MessageGateway
from engine.connectors.oss import BusinessRegistry, OssService
from engine.connectors.social_security import BpjsService, SocialSecurity
from engine.connectors.tax import DjpService, TaxOffice

# Names a diagram or a form rule may use, with what each checks (the process admin's list).
KNOWN = {
    "dukcapil": "Kependudukan (Dukcapil): kecocokan NIK, nama dan tanggal lahir",
    "bank": "Bank persepsi: virtual account dan QRIS untuk SKRD, notifikasi pembayaran, mutasi harian",
    "oss": "OSS RBA: profil usaha menurut NIB, laporan keputusan izin daerah",
    "djp": "DJP: NPWP dan status wajib pajak (KSWP)",
    "ahu": "AHU: data akta badan usaha",
    "bpjs": "BPJS: status kepesertaan",
    "sms": "Gateway SMS: pemberitahuan kepada Pemohon dan cek status (CEK <nomor>)",
    "whatsapp": "Gateway WhatsApp: pemberitahuan kepada Pemohon",
}


@dataclass
class Connectors:
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    dukcapil: PopulationRegistry | None = None
    bank: BankPayments | None = None
    oss: BusinessRegistry | None = None
    djp: TaxOffice | None = None
    ahu: CompanyRegister | None = None
    bpjs: SocialSecurity | None = None
    sms: MessageGateway | None = None
    whatsapp: MessageGateway | None = None
    sms_key: str = ""  # the SMS gateway's token, which its inbound webhook carries
    bank_secret: str = ""  # verifies the bank's notifications (HMAC-SHA512)
    oss_key: str = ""  # verifies the requests OSS forwards (the same signature, with the API key)

    def connected(self, name: str) -> bool:
        return getattr(self, name, None) is not None


# Services called with an API key and nothing else.
_SIMPLE = {
    "oss": OssService,
    "djp": DjpService,
    "ahu": AhuService,
    "bpjs": BpjsService,
    "sms": GatewayService,
    "whatsapp": GatewayService,
}


def build(settings: dict[str, dict]) -> Connectors:
    """``settings``: service name → {"url", "timeout", "attempts", and the service's credentials}."""
    connectors = Connectors()
    for name, conf in settings.items():
        if name not in KNOWN or not conf.get("url"):
            continue
        endpoint = Endpoint(
            name=name,
            base_url=str(conf["url"]).rstrip("/"),
            timeout=float(conf.get("timeout", 3.0)),
            attempts=int(conf.get("attempts", 3)),
        )
        connectors.endpoints[name] = endpoint
        if name == "dukcapil":
            connectors.dukcapil = DukcapilWebService(
                HttpService(endpoint), str(conf.get("user_id", "")), str(conf.get("password", ""))
            )
        elif name in _SIMPLE:
            setattr(connectors, name, _SIMPLE[name](HttpService(endpoint), str(conf.get("api_key", ""))))
            if name == "oss":
                connectors.oss_key = str(conf.get("api_key", ""))
            if name == "sms":
                connectors.sms_key = str(conf.get("api_key", ""))
        elif name == "bank":
            connectors.bank_secret = str(conf.get("secret", ""))
            connectors.bank = SnapBank(
                HttpService(endpoint),
                str(conf.get("partner_id", "")),
                str(conf.get("partner_service_id", "")),
                connectors.bank_secret,
            )
    return connectors
