"""The built-in wording of each event's notice, in Indonesian and English: a subject and body for
email, and a short text for SMS and WhatsApp. The admin may reword any of them (``templates``).
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.core.localtime import N_

LANGUAGES = ("id", "en")
SMS_LIMIT = 480  # three SMS segments


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str
    short: str


@dataclass(frozen=True)
class Event:
    title: str
    facts: tuple[str, ...]  # what its templates may name, besides the common facts
    wording: dict[str, Wording]


COMMON = ("nama", "nomor", "izin", "tautan", "instansi")
_SIGN_OFF = "\n\n{{ instansi }}"
_SIGN_OFF_EN = _SIGN_OFF

EVENTS: dict[str, Event] = {
    "diterima": Event(
        N_("Permohonan diterima"),
        (),
        {
            "id": Wording(
                "Permohonan {{ nomor }} telah kami terima",
                "Yth. {{ nama }},\n\nPermohonan {{ izin }} Anda telah kami terima dengan nomor {{ nomor }}. "
                "Petugas Front Office akan memeriksa kelengkapan berkas; Anda akan diberi tahu hasilnya.\n\n"
                "Pantau permohonan Anda di {{ tautan }}" + _SIGN_OFF,
                "{{ instansi }}: permohonan {{ izin }} diterima, nomor {{ nomor }}. Cek status: balas CEK {{ nomor }}.",
            ),
            "en": Wording(
                "We have received application {{ nomor }}",
                "Dear {{ nama }},\n\nYour {{ izin }} application has been received as number {{ nomor }}. "
                "The front office will check your documents and let you know.\n\nFollow it at {{ tautan }}"
                + _SIGN_OFF_EN,
                "{{ instansi }}: {{ izin }} application received, number {{ nomor }}. Reply CEK {{ nomor }} "
                "for its status.",
            ),
        },
    ),
    "dikembalikan": Event(
        N_("Dikembalikan untuk perbaikan"),
        ("catatan",),
        {
            "id": Wording(
                "Permohonan {{ nomor }} perlu diperbaiki",
                "Yth. {{ nama }},\n\nPermohonan {{ nomor }} dikembalikan untuk diperbaiki. Catatan petugas:\n\n"
                "{{ catatan }}\n\nPerbaiki dan kirim kembali di {{ tautan }}" + _SIGN_OFF,
                "{{ instansi }}: permohonan {{ nomor }} perlu diperbaiki: {{ catatan|truncate(200) }} "
                "Perbaiki di {{ tautan }}",
            ),
            "en": Wording(
                "Application {{ nomor }} needs corrections",
                "Dear {{ nama }},\n\nApplication {{ nomor }} was returned for corrections. The officer's "
                "notes:\n\n{{ catatan }}\n\nCorrect and resubmit it at {{ tautan }}" + _SIGN_OFF_EN,
                "{{ instansi }}: application {{ nomor }} needs corrections: {{ catatan|truncate(200) }} "
                "See {{ tautan }}",
            ),
        },
    ),
    "tanda_terima": Event(
        N_("Tanda Terima terbit"),
        ("tanggal_selesai",),
        {
            "id": Wording(
                "Tanda Terima permohonan {{ nomor }}",
                "Yth. {{ nama }},\n\nBerkas permohonan {{ nomor }} lengkap dan benar; Tanda Terima telah terbit. "
                "Waktu layanan dihitung sejak hari ini{% if tanggal_selesai %}; perkiraan selesai "
                "{{ tanggal_selesai }}{% endif %}.\n\nTanda Terima dapat diunduh di {{ tautan }}" + _SIGN_OFF,
                "{{ instansi }}: berkas {{ nomor }} lengkap, Tanda Terima terbit."
                "{% if tanggal_selesai %} Perkiraan selesai {{ tanggal_selesai }}.{% endif %}",
            ),
            "en": Wording(
                "Receipt for application {{ nomor }}",
                "Dear {{ nama }},\n\nThe documents of application {{ nomor }} are complete; the receipt (Tanda "
                "Terima) has been issued. The service time runs from today{% if tanggal_selesai %}; expected "
                "finish {{ tanggal_selesai }}{% endif %}.\n\nDownload it at {{ tautan }}" + _SIGN_OFF_EN,
                "{{ instansi }}: {{ nomor }} complete, receipt issued."
                "{% if tanggal_selesai %} Expected finish {{ tanggal_selesai }}.{% endif %}",
            ),
        },
    ),
    "skrd": Event(
        N_("SKRD terbit (retribusi)"),
        ("skrd_nomor", "jumlah", "jatuh_tempo", "cara_bayar"),
        {
            "id": Wording(
                "SKRD {{ skrd_nomor }}: retribusi {{ jumlah }} jatuh tempo {{ jatuh_tempo }}",
                "Yth. {{ nama }},\n\nSurat Ketetapan Retribusi Daerah (SKRD) untuk permohonan {{ nomor }} telah "
                "terbit.\n\nNomor SKRD: {{ skrd_nomor }}\nJumlah: {{ jumlah }}\nJatuh tempo: {{ jatuh_tempo }}\n\n"
                "Cara membayar: {{ cara_bayar }}\n\nPermohonan gugur bila retribusi tidak dibayar sampai jatuh "
                "tempo. Rincian pembayaran: {{ tautan }}" + _SIGN_OFF,
                "{{ instansi }}: SKRD {{ skrd_nomor }} permohonan {{ nomor }}: {{ jumlah }}, jatuh tempo "
                "{{ jatuh_tempo }}. {{ cara_bayar }}",
            ),
            "en": Wording(
                "SKRD {{ skrd_nomor }}: levy of {{ jumlah }} due {{ jatuh_tempo }}",
                "Dear {{ nama }},\n\nThe levy assessment (SKRD) for application {{ nomor }} has been issued.\n\n"
                "SKRD number: {{ skrd_nomor }}\nAmount: {{ jumlah }}\nDue date: {{ jatuh_tempo }}\n\n"
                "How to pay: {{ cara_bayar }}\n\nThe application lapses if the levy is not paid by the due "
                "date. Payment details: {{ tautan }}" + _SIGN_OFF_EN,
                "{{ instansi }}: SKRD {{ skrd_nomor }} for {{ nomor }}: {{ jumlah }}, due {{ jatuh_tempo }}. "
                "{{ cara_bayar }}",
            ),
        },
    ),
    "virtual_account": Event(
        N_("Nomor virtual account dibuka"),
        ("skrd_nomor", "jumlah", "jatuh_tempo", "virtual_account"),
        {
            "id": Wording(
                "Bayar SKRD {{ skrd_nomor }} ke virtual account {{ virtual_account }}",
                "Yth. {{ nama }},\n\nUntuk SKRD {{ skrd_nomor }} (permohonan {{ nomor }}) telah dibuka nomor virtual "
                "account:\n\n{{ virtual_account }}\n\nTransfer tepat {{ jumlah }} sebelum {{ jatuh_tempo }} dari bank "
                "mana pun, atau pindai kode QRIS di {{ tautan }}. Pembayaran tercatat otomatis; Anda akan "
                "diberi tahu saat diterima." + _SIGN_OFF,
                "{{ instansi }}: bayar SKRD {{ skrd_nomor }} tepat {{ jumlah }} ke virtual account "
                "{{ virtual_account }} sebelum {{ jatuh_tempo }}.",
            ),
            "en": Wording(
                "Pay SKRD {{ skrd_nomor }} to virtual account {{ virtual_account }}",
                "Dear {{ nama }},\n\nA virtual account has been opened for SKRD {{ skrd_nomor }} (application "
                "{{ nomor }}):\n\n{{ virtual_account }}\n\nTransfer exactly {{ jumlah }} before {{ jatuh_tempo }} from "
                "any bank, or scan the QRIS code at {{ tautan }}. The payment is recorded by itself; we will tell "
                "you when it arrives." + _SIGN_OFF_EN,
                "{{ instansi }}: pay SKRD {{ skrd_nomor }} exactly {{ jumlah }} to virtual account "
                "{{ virtual_account }} before {{ jatuh_tempo }}.",
            ),
        },
    ),
    "pembayaran": Event(
        N_("Pembayaran diterima"),
        ("skrd_nomor", "jumlah", "saluran"),
        {
            "id": Wording(
                "Pembayaran retribusi {{ nomor }} telah diterima",
                "Yth. {{ nama }},\n\nPembayaran retribusi SKRD {{ skrd_nomor }} sebesar {{ jumlah }} melalui "
                "{{ saluran }} telah kami terima. Permohonan {{ nomor }} dilanjutkan ke penandatanganan izin.\n\n"
                "{{ tautan }}" + _SIGN_OFF,
                "{{ instansi }}: pembayaran {{ jumlah }} untuk SKRD {{ skrd_nomor }} ({{ nomor }}) diterima.",
            ),
            "en": Wording(
                "Levy payment for {{ nomor }} received",
                "Dear {{ nama }},\n\nYour payment of {{ jumlah }} for SKRD {{ skrd_nomor }} through {{ saluran }} "
                "has been received. Application {{ nomor }} goes on to the signing of the permit.\n\n{{ tautan }}"
                + _SIGN_OFF_EN,
                "{{ instansi }}: payment of {{ jumlah }} for SKRD {{ skrd_nomor }} ({{ nomor }}) received.",
            ),
        },
    ),
    "izin_terbit": Event(
        N_("Izin ditandatangani dan siap"),
        ("izin_nomor", "berlaku_sampai", "verifikasi"),
        {
            "id": Wording(
                "{{ izin }} Anda telah terbit: {{ izin_nomor }}",
                "Yth. {{ nama }},\n\n{{ izin }} Nomor {{ izin_nomor }} telah ditandatangani secara elektronik"
                "{% if berlaku_sampai %} dan berlaku sampai {{ berlaku_sampai }}{% endif %}. Dokumen dapat "
                "diunduh di {{ tautan }}; keasliannya dapat diperiksa siapa saja di {{ verifikasi }}" + _SIGN_OFF,
                "{{ instansi }}: {{ izin }} {{ izin_nomor }} telah terbit. Unduh di {{ tautan }}",
            ),
            "en": Wording(
                "Your {{ izin }} has been issued: {{ izin_nomor }}",
                "Dear {{ nama }},\n\n{{ izin }} number {{ izin_nomor }} has been signed electronically"
                "{% if berlaku_sampai %} and is valid until {{ berlaku_sampai }}{% endif %}. Download it at "
                "{{ tautan }}; anyone can verify it at {{ verifikasi }}" + _SIGN_OFF_EN,
                "{{ instansi }}: {{ izin }} {{ izin_nomor }} issued. Download at {{ tautan }}",
            ),
        },
    ),
    "ditolak": Event(
        N_("Permohonan ditolak"),
        ("alasan",),
        {
            "id": Wording(
                "Permohonan {{ nomor }} ditolak",
                "Yth. {{ nama }},\n\nDengan menyesal kami sampaikan bahwa permohonan {{ nomor }} ditolak.\n\n"
                "Alasan: {{ alasan }}\n\nSurat penolakan dapat diunduh di {{ tautan }}. Bila tidak sependapat, "
                "Anda dapat mengajukan pengaduan." + _SIGN_OFF,
                "{{ instansi }}: permohonan {{ nomor }} ditolak. Alasan: {{ alasan|truncate(200) }}",
            ),
            "en": Wording(
                "Application {{ nomor }} was refused",
                "Dear {{ nama }},\n\nWe regret that application {{ nomor }} was refused.\n\nReason: {{ alasan }}"
                "\n\nThe refusal letter is at {{ tautan }}. You may file a complaint if you disagree." + _SIGN_OFF_EN,
                "{{ instansi }}: application {{ nomor }} refused. Reason: {{ alasan|truncate(200) }}",
            ),
        },
    ),
    "layanan_dihentikan": Event(
        N_("Layanan dihentikan (keadaan kahar)"),
        ("mulai", "keadaan"),
        {
            "id": Wording(
                "Waktu layanan permohonan {{ nomor }} dihentikan sementara",
                "Yth. {{ nama }},\n\nKarena keadaan kahar ({{ keadaan }}) sejak {{ mulai }}, waktu layanan "
                "permohonan {{ nomor }} dihentikan sementara dan tidak berkurang selama keadaan itu. Batas "
                "waktu yang baru kami sampaikan setelah keadaan kahar berakhir.\n\n{{ tautan }}" + _SIGN_OFF,
                "{{ instansi }}: keadaan kahar sejak {{ mulai }}; waktu layanan {{ nomor }} dihentikan sementara.",
            ),
            "en": Wording(
                "The service time of application {{ nomor }} is paused",
                "Dear {{ nama }},\n\nBecause of force majeure ({{ keadaan }}) since {{ mulai }}, the service "
                "time of application {{ nomor }} is paused and does not run down meanwhile. We will tell you "
                "the new deadline once it ends.\n\n{{ tautan }}" + _SIGN_OFF_EN,
                "{{ instansi }}: force majeure since {{ mulai }}; the service time of {{ nomor }} is paused.",
            ),
        },
    ),
    "perpanjangan_waktu": Event(
        N_("Batas waktu diperpanjang (keadaan kahar)"),
        ("mulai", "selesai", "batas_baru"),
        {
            "id": Wording(
                "Batas waktu permohonan {{ nomor }} diperpanjang",
                "Yth. {{ nama }},\n\nKarena keadaan kahar dari {{ mulai }} sampai {{ selesai }}, batas waktu "
                "layanan permohonan {{ nomor }} diperpanjang{% if batas_baru %} menjadi {{ batas_baru }}"
                "{% endif %}.\n\n{{ tautan }}" + _SIGN_OFF,
                "{{ instansi }}: karena keadaan kahar, batas waktu {{ nomor }} diperpanjang"
                "{% if batas_baru %} menjadi {{ batas_baru }}{% endif %}.",
            ),
            "en": Wording(
                "The deadline of application {{ nomor }} is extended",
                "Dear {{ nama }},\n\nBecause of force majeure from {{ mulai }} to {{ selesai }}, the service "
                "deadline of application {{ nomor }} is extended{% if batas_baru %} to {{ batas_baru }}"
                "{% endif %}.\n\n{{ tautan }}" + _SIGN_OFF_EN,
                "{{ instansi }}: because of force majeure, the deadline of {{ nomor }} is extended"
                "{% if batas_baru %} to {{ batas_baru }}{% endif %}.",
            ),
        },
    ),
    "izin_berakhir": Event(
        N_("Izin akan berakhir"),
        ("izin_nomor", "berlaku_sampai", "sisa_hari"),
        {
            "id": Wording(
                "{{ izin }} {{ izin_nomor }} berakhir {{ sisa_hari }} hari lagi",
                "Yth. {{ nama }},\n\n{{ izin }} Nomor {{ izin_nomor }} berlaku sampai {{ berlaku_sampai }} "
                "({{ sisa_hari }} hari lagi). Ajukan perpanjangan sebelum tanggal itu di {{ tautan }}" + _SIGN_OFF,
                "{{ instansi }}: {{ izin }} {{ izin_nomor }} berakhir {{ berlaku_sampai }} ({{ sisa_hari }} "
                "hari lagi). Perpanjang di {{ tautan }}",
            ),
            "en": Wording(
                "{{ izin }} {{ izin_nomor }} ends in {{ sisa_hari }} days",
                "Dear {{ nama }},\n\n{{ izin }} number {{ izin_nomor }} is valid until {{ berlaku_sampai }} "
                "({{ sisa_hari }} days from now). Apply for its renewal before then at {{ tautan }}" + _SIGN_OFF_EN,
                "{{ instansi }}: {{ izin }} {{ izin_nomor }} ends {{ berlaku_sampai }} ({{ sisa_hari }} days). "
                "Renew at {{ tautan }}",
            ),
        },
    ),
    "izin_dicabut": Event(
        N_("Izin dicabut atau dikenai sanksi"),
        ("keputusan", "pesan", "verifikasi"),
        {
            "id": Wording(
                "{{ keputusan }}",
                "Yth. {{ nama }},\n\n{{ pesan }}\n\nDokumen keputusan dapat diunduh di {{ tautan }} dan "
                "diperiksa keasliannya di {{ verifikasi }}" + _SIGN_OFF,
                "{{ instansi }}: {{ pesan|truncate(300) }}",
            ),
            "en": Wording(
                "{{ keputusan }}",
                "Dear {{ nama }},\n\n{{ pesan }}\n\nThe decision can be downloaded at {{ tautan }} and "
                "verified at {{ verifikasi }}" + _SIGN_OFF_EN,
                "{{ instansi }}: {{ pesan|truncate(300) }}",
            ),
        },
    ),
    "cek_status": Event(
        N_("Jawaban SMS cek status"),
        ("status", "tahap"),
        {
            "id": Wording(
                "Status {{ nomor }}",
                "{% if izin %}{{ nomor }} ({{ izin }}): {% endif %}{{ status }}"
                "{% if tahap %}, tahap {{ tahap }}{% endif %}.",
                "{{ instansi }}: {% if izin %}{{ nomor }} ({{ izin }}): {% endif %}{{ status }}"
                "{% if tahap %}, tahap {{ tahap }}{% endif %}.",
            ),
            "en": Wording(
                "Status of {{ nomor }}",
                "{% if izin %}{{ nomor }} ({{ izin }}): {% endif %}{{ status }}"
                "{% if tahap %}, stage {{ tahap }}{% endif %}.",
                "{{ instansi }}: {% if izin %}{{ nomor }} ({{ izin }}): {% endif %}{{ status }}"
                "{% if tahap %}, stage {{ tahap }}{% endif %}.",
            ),
        },
    ),
}
