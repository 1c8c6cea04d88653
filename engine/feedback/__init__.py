"""What the public tells the agency: the satisfaction survey (SKM/IKM, PermenPANRB 14/2017) answered
after a permit is handed over, and its index per period and permit type.

May import: ``engine.casework`` and everything below it.
Without a test module of its own: ``models`` (the answers, exercised by the survey's tests).
"""
