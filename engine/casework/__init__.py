"""An application's life: submitting it, working its tasks, the inbox, missed deadlines and due
timers, the head's sanctions, and the read side (lists, history, tracking, the audit search).

May import: every package below it; not ``engine.process_admin``.
"""
