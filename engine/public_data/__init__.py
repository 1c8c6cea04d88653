"""Open data for the public (R1.3): figures of the service in tables anyone may download, with their
data dictionary; counts and times only, never a person.

May import: ``engine.casework`` and everything below it.
"""
