"""One small web server standing in for the agencies the system talks to, with realistic data and
the failures a real service has. ``make run`` starts it beside the app; the tests start their own.

Services (each under its own prefix):
- ``POST /dukcapil/verifikasi``: the population registry's verification by elements (NIK, NAMA_LGKP,
  TGL_LHR dd-mm-yyyy, TMPT_LHR, user_id, password) answered per field "Sesuai (score)" or
  "Tidak Sesuai (score)", or ``{"RESPON": "Data Tidak Ditemukan"}``.

- ``POST /bank/v1.0/transfer-va/create-va``: the bank opens a virtual account for a bill (exact amount,
  expiry) and answers its number with a dynamic QRIS string; ``POST /bank/v1.0/transfer-va/statement``
  lists a day's payments. Requests must carry the SNAP headers signed with the shared secret.
  ``POST /_sim/bank/pay`` (JSON ``virtualAccountNo``, optional ``amount``) plays a customer paying:
  the bank books it and posts the signed notification to the agency's callback, answering what the
  agency answered and the notification it sent (tests replay or forge from it).

- ``GET /oss/v1/nib/<nib>``: a business profile from OSS RBA; ``POST /oss/v1/status-izin``: the
  regional decision reported back (kept, replaced by a later report of the same reference);
  ``GET /_sim/oss/reports`` lists them. ``POST /_sim/oss/forward`` (JSON nib, kode_izin, email) plays
  OSS forwarding an application for a regional permit: it posts it, signed, to the agency.
- ``POST /djp/v1/kswp`` (JSON npwp): NPWP holder and KSWP status. ``GET /ahu/v1/perseroan?q=``: a
  company's deed data by name or deed number. ``GET /bpjs/v1/kepesertaan/<number>``: membership.
  These four take the agency's key in ``X-User-Key`` (OSS) or ``X-API-Key`` (the others).

Failure modes, per service: ``POST /_sim/<service>/mode`` with JSON ``{"mode": "normal" | "lambat" |
"mati", "delay": seconds}``: slow answers after ``delay`` seconds, down answers 503 at once.
``GET /_sim/<service>/calls`` counts the calls received (tests read it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from difflib import SequenceMatcher

import httpx
from flask import Flask, abort, jsonify, redirect, request
from markupsafe import escape

# NIK → (full name, birth date dd-mm-yyyy, birth place). The first is the demo applicant's.
POPULATION = {
    "3171010101800001": ("BUDI SANTOSO", "01-01-1980", "JAKARTA"),
    "3171014505850002": ("SITI RAHMAWATI", "05-05-1985", "BANDUNG"),
    "3273012002900003": ("AHMAD FAUZI", "20-02-1990", "BANDUNG"),
    "1671010303870002": ("RINA WULANDARI", "03-03-1987", "PALEMBANG"),
    "1671010101700001": ("HENDRA GUNAWAN", "01-01-1970", "PALEMBANG"),
}
SERVICES = ("dukcapil", "bank", "oss", "djp", "ahu", "bpjs")
API_KEYS = {name: f"kunci-{name}" for name in ("oss", "djp", "ahu", "bpjs")}
BUSINESSES = {
    "9120001234567": {
        "nib": "9120001234567",
        "nama_perusahaan": "PT Maju Jaya Reklame",
        "jenis_perseroan": "PT",
        "npwp_perusahaan": "01.234.567.8-901.000",
        "alamat_perusahaan": "Jl. Sudirman No. 10, Kota Contoh",
        "tingkat_risiko": "Menengah Rendah",
        "status_nib": "aktif",
        "data_kbli": [{"kode": "73100", "judul": "Periklanan", "risiko": "Menengah Rendah"}],
    },
    "8120009876543": {
        "nib": "8120009876543",
        "nama_perusahaan": "CV Sinar Terang",
        "jenis_perseroan": "CV",
        "npwp_perusahaan": "02.345.678.9-012.000",
        "alamat_perusahaan": "Jl. Pahlawan No. 3, Kota Contoh",
        "tingkat_risiko": "Rendah",
        "status_nib": "aktif",
        "data_kbli": [{"kode": "73100", "judul": "Periklanan", "risiko": "Rendah"}],
    },
    "9120000000009": {
        "nib": "9120000000009",
        "nama_perusahaan": "PT Lama Tutup",
        "jenis_perseroan": "PT",
        "npwp_perusahaan": "03.456.789.0-123.000",
        "alamat_perusahaan": "Jl. Lama No. 1, Kota Contoh",
        "tingkat_risiko": "Rendah",
        "status_nib": "dicabut",
        "data_kbli": [],
    },
}
TAXPAYERS = {
    "012345678901000": ("PT MAJU JAYA REKLAME", "VALID"),
    "023456789012000": ("CV SINAR TERANG", "TIDAK VALID"),
    "3171010101800001": ("BUDI SANTOSO", "VALID"),
}
COMPANIES = [
    {
        "nama": "PT Maju Jaya Reklame",
        "bentuk_badan_hukum": "Perseroan Terbatas",
        "nomor_sk": "AHU-0012345.AH.01.01.Tahun 2019",
        "alamat": "Jl. Sudirman No. 10, Kota Contoh",
        "pengurus": [
            {"nama": "Andi Wijaya", "jabatan": "Direktur Utama"},
            {"nama": "Sri Lestari", "jabatan": "Komisaris"},
        ],
    }
]
MEMBERS = {"12345678901": ("PT MAJU JAYA REKLAME", "AKTIF"), "98765432109": ("CV SINAR TERANG", "NONAKTIF")}


@dataclass
class ServiceState:
    mode: str = "normal"
    delay: float = 5.0
    calls: int = 0


@dataclass
class SimulatorState:
    services: dict[str, ServiceState] = field(default_factory=lambda: {name: ServiceState() for name in SERVICES})
    credentials: dict[str, tuple[str, str]] = field(default_factory=lambda: {"dukcapil": ("ptsp", "rahasia")})
    lock: threading.Lock = field(default_factory=threading.Lock)
    bank_secret: str = "rahasia-bank"
    callback_url: str | None = None  # where payment notifications go (the agency's endpoint)
    accounts: dict[str, dict] = field(default_factory=dict)  # VA number → bill
    payments: list[dict] = field(default_factory=list)
    oss_reports: dict[str, dict] = field(default_factory=dict)  # regional reference → last report


def _sign(secret: str, method: str, path: str, body: bytes, timestamp: str) -> str:
    text = f"{method}:{path}:{hashlib.sha256(body).hexdigest().lower()}:{timestamp}".encode()
    return base64.b64encode(hmac.new(secret.encode("utf-8"), text, hashlib.sha512).digest()).decode("ascii")


def crc16(payload: str) -> str:
    crc = 0xFFFF
    for byte in payload.encode("ascii"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def qris(merchant: str, city: str, amount: str, bill: str) -> str:
    """A dynamic QRIS payload (EMVCo merchant-presented): TLV fields, the CRC16 last."""
    merchant_account = _tlv("00", "ID.CO.QRIS.WWW") + _tlv("01", "936000000000000001")
    body = "".join(
        [
            _tlv("00", "01"),
            _tlv("01", "12"),
            _tlv("26", merchant_account),
            _tlv("52", "9399"),
            _tlv("53", "360"),
            _tlv("54", amount.split(".")[0]),
            _tlv("58", "ID"),
            _tlv("59", merchant[:25]),
            _tlv("60", city[:15]),
            _tlv("62", _tlv("01", bill[:25])),
        ]
    )
    return body + "6304" + crc16(body + "6304")


def _similarity(given: str, known: str) -> int:
    return round(100 * SequenceMatcher(None, " ".join(given.upper().split()), known).ratio())


def create_simulator(state: SimulatorState | None = None) -> Flask:
    state = state or SimulatorState()
    app = Flask(__name__)
    app.config["SIMULATOR_STATE"] = state

    def service_gate(name: str):
        service = state.services[name]
        with state.lock:
            service.calls += 1
        if service.mode == "mati":
            abort(503)
        if service.mode == "lambat":
            time.sleep(service.delay)

    @app.post("/dukcapil/verifikasi")
    def dukcapil_verify():
        service_gate("dukcapil")
        body = request.get_json(silent=True) or {}
        if (body.get("user_id"), body.get("password")) != state.credentials["dukcapil"]:
            return jsonify({"content": [{"RESPON": "User tidak memiliki hak akses"}]}), 401
        person = POPULATION.get(str(body.get("NIK", "")))
        if person is None:
            return jsonify({"content": [{"RESPON": "Data Tidak Ditemukan"}], "totalElements": 0})
        name, born, place = person
        threshold = int(body.get("TRESHOLD") or 90)
        verdict = {"NIK": "Sesuai"}
        for key, known in (("NAMA_LGKP", name), ("TGL_LHR", born), ("TMPT_LHR", place)):
            if key in body:
                score = _similarity(str(body[key]), known) if key != "TGL_LHR" else (100 if body[key] == known else 0)
                verdict[key] = f"{'Sesuai' if score >= threshold else 'Tidak Sesuai'} ({score})"
        return jsonify({"content": [verdict], "totalElements": 1, "numberOfElements": 1, "lastPage": True})

    def signed_by_agency() -> bool:
        raw = request.get_data()
        return hmac.compare_digest(
            _sign(state.bank_secret, request.method, request.path, raw, request.headers.get("X-TIMESTAMP", "")),
            request.headers.get("X-SIGNATURE", ""),
        )

    @app.post("/bank/v1.0/transfer-va/create-va")
    def bank_create_va():
        service_gate("bank")
        if not signed_by_agency():
            return jsonify({"responseCode": "4012700", "responseMessage": "Unauthorized. [Signature]"}), 401
        body = request.get_json(silent=True) or {}
        number = str(body.get("virtualAccountNo", "")).replace(" ", "")
        amount = (body.get("totalAmount") or {}).get("value", "0.00")
        with state.lock:
            account = state.accounts.setdefault(
                number,
                {
                    "virtualAccountNo": number,
                    "trxId": body.get("trxId"),
                    "amount": amount,
                    "virtualAccountName": body.get("virtualAccountName"),
                    "expiredDate": body.get("expiredDate"),
                    "qrContent": qris("DPMPTSP KOTA CONTOH", "KOTA CONTOH", amount, str(body.get("trxId"))),
                },
            )
        return jsonify(
            {
                "responseCode": "2002700",
                "responseMessage": "Successful",
                "virtualAccountData": {
                    "partnerServiceId": body.get("partnerServiceId"),
                    "customerNo": body.get("customerNo"),
                    "virtualAccountNo": account["virtualAccountNo"],
                    "trxId": account["trxId"],
                    "totalAmount": {"value": account["amount"], "currency": "IDR"},
                    "expiredDate": account["expiredDate"],
                    "additionalInfo": {"qrContent": account["qrContent"]},
                },
            }
        )

    @app.post("/bank/v1.0/transfer-va/statement")
    def bank_statement():
        service_gate("bank")
        if not signed_by_agency():
            return jsonify({"responseCode": "4012700", "responseMessage": "Unauthorized. [Signature]"}), 401
        day = (request.get_json(silent=True) or {}).get("date", "")
        return jsonify(
            {"responseCode": "2002700", "payments": [p for p in state.payments if p["trxDateTime"].startswith(day)]}
        )

    @app.post("/_sim/bank/pay")
    def bank_pay():
        given = request.get_json(silent=True) or {}
        account = state.accounts.get(str(given.get("virtualAccountNo", "")))
        if account is None:
            abort(404)
        return jsonify(pay(account, given.get("amount", account["amount"])))

    @app.get("/_sim/bank")
    def bank_teller():
        """A teller's page for demonstrations: every open virtual account, each with a pay button."""
        rows = "".join(
            f"<tr><td>{escape(a['virtualAccountNo'])}</td><td>{escape(a['trxId'])}</td>"
            f"<td>Rp {escape(a['amount'])}</td><td><form method='post' action='/_sim/bank/teller'>"
            f"<input type='hidden' name='va' value='{escape(a['virtualAccountNo'])}'><button>Bayar</button>"
            "</form></td></tr>"
            for a in state.accounts.values()
        )
        note = escape(request.args.get("hasil", ""))
        return (
            f"<!doctype html><meta charset='utf-8'><title>Simulator Bank</title><h1>Simulator Bank: Virtual Account"
            f"</h1><p>{note}</p><table border='1' cellpadding='6'><tr><th>Nomor VA</th><th>SKRD</th><th>Jumlah</th>"
            f"<th></th></tr>{rows or '<tr><td colspan=4>Belum ada virtual account.</td></tr>'}</table>"
        )

    @app.post("/_sim/bank/teller")
    def bank_teller_pay():
        account = state.accounts.get(request.form.get("va", ""))
        if account is None:
            abort(404)
        result = pay(account, account["amount"])
        return redirect(f"/_sim/bank?hasil=Dibayar; notifikasi ke instansi: {result.get('callback_status')}")

    def pay(account: dict, amount: str) -> dict:
        """The bank books the payment and posts its signed notification to the agency."""
        moment = datetime.now(timezone(timedelta(hours=7))).isoformat(timespec="seconds")
        payment = {
            "virtualAccountNo": account["virtualAccountNo"],
            "trxId": account["trxId"],
            "paymentRequestId": secrets.token_hex(8).upper(),
            "trxDateTime": moment,
            "paidAmount": {"value": amount, "currency": "IDR"},
            "virtualAccountName": account["virtualAccountName"],
        }
        with state.lock:
            state.payments.append(payment)
        path = "/api/v1/bank/transfer-va/payment"
        raw = json.dumps(payment, separators=(",", ":")).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "X-TIMESTAMP": moment,
            "X-PARTNER-ID": "BANKSIM",
            "X-EXTERNAL-ID": secrets.token_hex(16),
            "CHANNEL-ID": "95221",
            "X-SIGNATURE": _sign(state.bank_secret, "POST", path, raw, moment),
        }
        sent = {"path": path, "headers": headers, "body": raw.decode("utf-8")}
        if not state.callback_url:
            return {"callback_status": None, "notification": sent}
        try:
            answer = httpx.post(state.callback_url.rstrip("/") + path, content=raw, headers=headers, timeout=10)
            return {"callback_status": answer.status_code, "callback_body": answer.json(), "notification": sent}
        except (httpx.HTTPError, ValueError) as error:
            return {"callback_status": None, "callback_error": str(error), "notification": sent}

    def keyed(name: str) -> bool:
        given = request.headers.get("X-User-Key") if name == "oss" else request.headers.get("X-API-Key")
        return given == API_KEYS[name]

    @app.get("/oss/v1/nib/<nib>")
    def oss_business(nib):
        service_gate("oss")
        if not keyed("oss"):
            return jsonify({"status": False, "keterangan": "user_key tidak valid"}), 401
        business = BUSINESSES.get(nib)
        if business is None:
            return jsonify({"status": False, "keterangan": "NIB tidak ditemukan"}), 404
        return jsonify({"status": True, "data": business})

    @app.post("/oss/v1/status-izin")
    def oss_status():
        service_gate("oss")
        if not keyed("oss"):
            return jsonify({"status": False, "keterangan": "user_key tidak valid"}), 401
        body = request.get_json(silent=True) or {}
        if body.get("nib") not in BUSINESSES or not body.get("id_permohonan_daerah"):
            return jsonify({"status": False, "keterangan": "NIB atau id permohonan tidak dikenal"}), 422
        with state.lock:
            state.oss_reports[body["id_permohonan_daerah"]] = body
        receipt = hashlib.sha1(body["id_permohonan_daerah"].encode()).hexdigest()[:10]
        return jsonify({"status": True, "id_laporan": f"OSS-{receipt}"})

    @app.post("/_sim/oss/forward")
    def oss_forward():
        """OSS forwards an application for a regional permit to the agency (signed with its key)."""
        given = request.get_json(silent=True) or {}
        business = BUSINESSES.get(str(given.get("nib", "")), {})
        body = {
            "id_permohonan": given.get("id_permohonan") or f"OSS-{secrets.token_hex(5).upper()}",
            "nib": given.get("nib"),
            "kode_izin": given.get("kode_izin"),
            "pelaku_usaha": {
                "nama": business.get("nama_perusahaan", ""),
                "email": given.get("email"),
                "nik": given.get("nik"),
            },
        }
        path = "/api/v1/oss/permohonan"
        raw = json.dumps(body, separators=(",", ":")).encode("utf-8")
        moment = datetime.now(timezone(timedelta(hours=7))).isoformat(timespec="seconds")
        headers = {
            "Content-Type": "application/json",
            "X-TIMESTAMP": moment,
            "X-SIGNATURE": _sign(API_KEYS["oss"], "POST", path, raw, moment),
        }
        if not state.callback_url:
            return jsonify(
                {"callback_status": None, "request": {"path": path, "headers": headers, "body": raw.decode("utf-8")}}
            )
        answer = httpx.post(state.callback_url.rstrip("/") + path, content=raw, headers=headers, timeout=10)
        return jsonify({"callback_status": answer.status_code, "callback_body": answer.json(), "request": body})

    @app.get("/_sim/oss/reports")
    def oss_reports():
        return jsonify(state.oss_reports)

    @app.post("/djp/v1/kswp")
    def djp_kswp():
        service_gate("djp")
        if not keyed("djp"):
            return jsonify({"message": "API key tidak valid"}), 401
        npwp = "".join(c for c in str((request.get_json(silent=True) or {}).get("npwp", "")) if c.isdigit())
        found = TAXPAYERS.get(npwp)
        if found is None:
            return jsonify({"message": "NPWP tidak terdaftar"}), 404
        return jsonify({"npwp": npwp, "nama": found[0], "status_npwp": "AKTIF", "status_kswp": found[1]})

    @app.get("/ahu/v1/perseroan")
    def ahu_company():
        service_gate("ahu")
        if not keyed("ahu"):
            return jsonify({"message": "API key tidak valid"}), 401
        wanted = " ".join(request.args.get("q", "").lower().split())
        for company in COMPANIES:
            if wanted in (company["nama"].lower(), company["nomor_sk"].lower()):
                return jsonify({"data": company})
        return jsonify({"message": "Badan usaha tidak ditemukan"}), 404

    @app.get("/bpjs/v1/kepesertaan/<number>")
    def bpjs_membership(number):
        service_gate("bpjs")
        if not keyed("bpjs"):
            return jsonify({"message": "API key tidak valid"}), 401
        member = MEMBERS.get(number)
        if member is None:
            return jsonify({"message": "Peserta tidak ditemukan"}), 404
        return jsonify({"nomor": number, "nama": member[0], "status": member[1]})

    @app.post("/_sim/<name>/mode")
    def set_mode(name):
        if name not in state.services:
            abort(404)
        body = request.get_json(silent=True) or {}
        service = state.services[name]
        service.mode = body.get("mode", "normal")
        service.delay = float(body.get("delay", service.delay))
        return jsonify({"service": name, "mode": service.mode, "delay": service.delay})

    @app.get("/_sim/<name>/calls")
    def calls(name):
        if name not in state.services:
            abort(404)
        return jsonify({"service": name, "calls": state.services[name].calls})

    return app
