"""What the public tells the agency: complaints (pengaduan) followed through the SP4N-LAPOR!
timelines, and the satisfaction survey (SKM/IKM, PermenPANRB 14/2017) answered after a permit is
handed over, with its index per period and permit type.

May import: ``engine.casework`` and everything below it.
Without a test module of its own: ``models`` (the answers and complaints, exercised by their tests).
"""
