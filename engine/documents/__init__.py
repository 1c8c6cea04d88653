"""Documents issued on applications, officers' signing certificates, checking a document by its code
or its file, and checking the archive against the database.

May import: ``engine.workflow``, ``engine.core``. Signing itself is behind ``core.services.DocumentMaker``.
Without a test module of its own: ``models`` (tables, exercised by every test).
"""
