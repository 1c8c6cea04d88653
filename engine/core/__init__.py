"""What every domain shares: the declarative base and shared tables, the audit trail, file and
object storage, mail, named counters, upserts, the clock, local time, errors, roles, health, and
the ``Services`` the composition root hands to verbs.

May import: nothing of the engine's other packages (signing imports this package only).
Without a test module of its own: ``models`` (tables, exercised by every test), ``errors`` and
``roles`` (exception types and constants), ``services`` (the types the composition root fills).
"""
