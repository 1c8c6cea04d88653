"""Service time: working time in the agency's zone, the service clocks and their pauses, force
majeure, the SLA policy admins change, the sweep that warns and escalates, and the statistics.

May import: ``engine.accounts``, ``engine.documents``, ``engine.workflow``, ``engine.core``.
Without a test module of its own: ``models`` (tables, exercised by every test) and ``clock_refresh``
(the arithmetic the clock's events share: the tests of sla and of force majeure move its figures,
void warnings and escalations through it and restate finished files).
"""
