"""Retribution paid through the bank: a virtual account (and QRIS) opened for each SKRD, the bank's
signed payment notification completing the payment task with no treasurer action, and the daily
reconciliation against the bank's statement. The treasurer's entry stays for counter payments.

May import: ``engine.casework`` and everything below it.
Without a test module of its own: ``models`` (the table of notifications received, exercised by
the tests of the notifications).
"""
