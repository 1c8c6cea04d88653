"""Notices to applicants: one in-app notice per event and person, delivered by email, SMS and WhatsApp
after commit, worded from templates the admin may edit (``events`` turns what a verb did into an
event's facts; ``notices`` writes the notice and its deliveries; ``delivery`` sends them).

Without a test module of its own: ``models`` (tables, exercised by every notice test); ``wordings`` (the
built-in texts, data rendered and checked by the tests of ``templates``).
"""
