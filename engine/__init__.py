"""Domain services of the permit system, as one package per domain.

Knows nothing of Flask. From the bottom up, each package may import only those below it (the
contracts in ``pyproject.toml``, checked by ``lint-imports``; docs/architecture.md):

- ``core``: database base, audit trail, files, mail, clock, errors, roles, what verbs are handed in;
- ``workflow``: process definitions and the workflow runtime, the only importer of SpiffWorkflow;
- ``documents``: documents, certificates, verification;
- ``accounts``: accounts, sign-in, API tokens, second factor, permissions;
- ``service_time``: working time, service clocks, force majeure, SLA policy and statistics;
- ``casework`` and ``process_admin``, independent of each other: an application's life, and the
  process admin's drafts;
- ``schema``: every table, for Alembic and the ORM.

Without a test module of its own: ``schema`` (imports only; every test loads it).
"""
