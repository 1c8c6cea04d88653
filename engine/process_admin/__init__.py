"""Process administration: permit types as data, drafts and their parts, diagrams from other
modelers, fee tables, document templates, publishing and rolling back, and the archive one agency
hands another.

May import: every package below it; not ``engine.casework``.
Without a test module of its own: ``models`` (a table, exercised by every test of drafts) and
``starter_diagram`` (the diagram of the starting bundle, run and checked by the starter's tests).
"""
