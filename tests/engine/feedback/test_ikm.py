"""The IKM as PermenPANRB 14/2017 computes it: exact 1/9 weights, rounding only at the end."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from engine.feedback import ikm

ANSWERS = [
    [4, 4, 3, 3, 4, 3, 4, 3, 4],
    [3, 3, 3, 2, 3, 3, 4, 3, 3],
    [4, 3, 4, 3, 4, 4, 4, 4, 3],
    [3, 4, 3, 3, 3, 3, 3, 3, 4],
]


def test_a_fixed_set_of_answers_gives_the_hand_computed_index():
    result = ikm.index(ANSWERS)
    # By hand: NRR 3.5, 3.5, 3.25, 2.75, 3.5, 3.25, 3.75, 3.25, 3.5; their sum 30.25;
    # IKM = 30.25 / 9 = 3.36111…; × 25 = 84.02777… → 84.03, grade B (Baik).
    assert result.nrr == [
        Fraction(7, 2),
        Fraction(7, 2),
        Fraction(13, 4),
        Fraction(11, 4),
        Fraction(7, 2),
        Fraction(13, 4),
        Fraction(15, 4),
        Fraction(13, 4),
        Fraction(7, 2),
    ]
    assert result.ikm == Fraction(121, 36)
    assert (result.converted, result.grade, result.quality, result.respondents) == (Decimal("84.03"), "B", "Baik", 4)
    # The spreadsheet habit of weighting by 0.11 would have said 83.19.
    assert (Decimal("30.25") * Decimal("0.11") * 25).quantize(Decimal("0.01")) == Decimal("83.19") != result.converted


@pytest.mark.parametrize(
    "converted, grade",
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_the_grade_boundaries(converted, grade):
    assert ikm.grade_of(Decimal(converted))[0] == grade


def test_invalid_answers_do_not_count_and_no_answers_give_no_index():
    assert ikm.index([]) is None
    assert ikm.index([[5] * 9, [1] * 8, [True] * 9]) is None
    assert ikm.index([[1] * 9]).converted == Decimal("25.00") and ikm.index([[4] * 9]).converted == Decimal("100.00")
