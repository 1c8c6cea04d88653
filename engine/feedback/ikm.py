"""The community satisfaction index (IKM) of PermenPANRB 14/2017: nine elements (unsur) answered 1–4;
each element's mean (NRR) weighted by exactly 1/9 and summed (1–4), converted ×25 (25–100), rounded
only at the end to two decimals, and graded A to D."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from engine.core.localtime import N_

UNSUR = (
    (N_("Persyaratan"), N_("Kesesuaian persyaratan pelayanan dengan jenis pelayanannya")),
    (N_("Sistem, mekanisme, dan prosedur"), N_("Kemudahan prosedur pelayanan")),
    (N_("Waktu penyelesaian"), N_("Kecepatan waktu dalam memberikan pelayanan")),
    (N_("Biaya/tarif"), N_("Kewajaran biaya/tarif dalam pelayanan")),
    (
        N_("Produk spesifikasi jenis pelayanan"),
        N_("Kesesuaian produk pelayanan yang tercantum dalam standar dengan hasil yang diberikan"),
    ),
    (N_("Kompetensi pelaksana"), N_("Kompetensi/kemampuan petugas dalam pelayanan")),
    (N_("Perilaku pelaksana"), N_("Kesopanan dan keramahan petugas dalam memberikan pelayanan")),
    (N_("Penanganan pengaduan, saran dan masukan"), N_("Kualitas penanganan pengaduan, saran dan masukan")),
    (N_("Sarana dan prasarana"), N_("Kualitas sarana dan prasarana")),
)
SCALE = {
    1: N_("Tidak sesuai / tidak baik"),
    2: N_("Kurang sesuai / kurang baik"),
    3: N_("Sesuai / baik"),
    4: N_("Sangat sesuai / sangat baik"),
}
# (lowest converted value, grade, quality of service)
GRADES = (
    (Decimal("88.31"), "A", N_("Sangat Baik")),
    (Decimal("76.61"), "B", N_("Baik")),
    (Decimal("65.00"), "C", N_("Kurang Baik")),
    (Decimal("25.00"), "D", N_("Tidak Baik")),
)
WEIGHT = Fraction(1, len(UNSUR))
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Index:
    respondents: int
    nrr: list[Fraction]  # per element, exact
    ikm: Fraction  # Σ NRR × 1/9, exact (1–4)
    converted: Decimal  # IKM × 25, rounded to two decimals (25–100)
    grade: str
    quality: str

    def nrr_shown(self, places: str = "0.01") -> list[Decimal]:
        return [_round(value, places) for value in self.nrr]

    def weighted_shown(self, places: str = "0.001") -> list[Decimal]:
        return [_round(value * WEIGHT, places) for value in self.nrr]


def _round(value: Fraction, places: str) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def valid(answers) -> bool:
    return (
        isinstance(answers, (list, tuple))
        and len(answers) == len(UNSUR)
        and all(isinstance(a, int) and not isinstance(a, bool) and 1 <= a <= 4 for a in answers)
    )


def grade_of(converted: Decimal) -> tuple[str, str]:
    for floor, grade, quality in GRADES:
        if converted >= floor:
            return grade, quality
    return GRADES[-1][1], GRADES[-1][2]


def index(responses: list[list[int]]) -> Index | None:
    """The index of a set of responses (each nine answers 1–4); None without any."""
    rows = [r for r in responses if valid(r)]
    if not rows:
        return None
    nrr = [Fraction(sum(r[i] for r in rows), len(rows)) for i in range(len(UNSUR))]
    ikm = sum((value * WEIGHT for value in nrr), Fraction(0))
    converted = _round(ikm * 25, "0.01")
    grade, quality = grade_of(converted)
    return Index(len(rows), nrr, ikm, converted, grade, quality)
