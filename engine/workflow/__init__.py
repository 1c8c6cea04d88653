"""Process definitions and the workflow runtime: checking and parsing bundles, the sandbox the
diagrams' code runs in, BPMN timers, serialization, permit types and versions, task forms, and dry
runs. The only package that imports SpiffWorkflow.

May import: ``engine.core``.
Without a test module of its own: ``models`` (tables, exercised by every test).
"""
