"""SNAP BI amounts, and the bank simulator's virtual accounts over real HTTP."""

from __future__ import annotations

from datetime import date

from engine.connectors.bank import amount_text, amount_value


def test_amounts_are_whole_rupiah_as_two_place_decimal_strings():
    assert amount_text(7_200_000) == "7200000.00"
    assert amount_value("7200000.00") == 7_200_000 and amount_value("7200000") == 7_200_000
    assert amount_value("7200000.50") is None and amount_value("-1.00") is None and amount_value("abc") is None


def test_the_bank_opens_the_same_account_again_for_a_repeated_request(agencies):
    bank = agencies.connectors.bank
    first = bank.open_account(
        bill_number="SKRD/REK/2026/00009",
        customer_no="000000000009",
        name="Uji",
        amount=150_000,
        due=date(2026, 12, 31),
    )
    again = bank.open_account(
        bill_number="SKRD/REK/2026/00009",
        customer_no="000000000009",
        name="Uji",
        amount=150_000,
        due=date(2026, 12, 31),
    )
    assert first == again and first.number == "88899000000000009"
    assert len(agencies.state.accounts) == 1
