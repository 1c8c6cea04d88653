"""What anyone may read about the service (R1.2, R1.3): the agency's directory and the regulations of
its field, managed by the admin; and open data, the service's figures in tables anyone may download
with their data dictionary (counts and times only, never a person).

May import: ``engine.feedback`` (the survey and complaints it counts), ``engine.casework`` and everything
below them.
Without a test module of its own: ``models`` (the directory and regulations, exercised by their tests).
"""
