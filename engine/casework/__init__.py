"""An application's life: submitting it, working its tasks, the inbox, missed deadlines and due
timers, the head's sanctions, the read side (lists, history, tracking, the audit search), and its
dealings with other agencies (fields checked with them, requests OSS forwards, decisions reported).

May import: every package below it; not ``engine.process_admin``.
Without a test module of its own: ``models`` (the requests other systems forward, exercised by the
tests of the forwarded requests).
"""
