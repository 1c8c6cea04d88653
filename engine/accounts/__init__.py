"""Accounts: registration, staff accounts, sign-in, sessions, API tokens, the second factor, and the
per-object permission checks.

May import: ``engine.documents``, ``engine.workflow``, ``engine.core``.
Without a test module of its own: ``models`` (tables, exercised by every test).
"""
