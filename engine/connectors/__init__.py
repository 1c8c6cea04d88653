"""Other agencies and the bank, reached over HTTP: one small interface per service (``dukcapil``,
``oss``, ``tax``, ``deeds``, ``social_security``, ``bank``), its web-service implementation, the
shared HTTP rules (``http``: time limits, retries, the breaker), the log of every call (who asked
about whom, why, and the answer's gist), the checks a form field may name, the outbox of reports
owed, and the health figures for the dashboard.

May import: ``engine.core`` only; the domains above hand in what a call is for.
Without a test module of its own: ``models`` (the call log and the outbox, exercised by the tests
of the calls and the outbox), ``oss``, ``tax``, ``deeds`` and ``social_security`` (each driven
against the simulator by the tests of the checks).
"""
