"""search indexes: on PostgreSQL, trigram indexes over the lowered registration number and name,
so finding a file by part of its number or its applicant's name reads the index, not every file

Revision ID: 9d41c7e2a6b3
Revises: f2c6a8d4b19e
Create Date: 2026-12-02

"""

import logging

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9d41c7e2a6b3"
down_revision = "f2c6a8d4b19e"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
_INDEXES = {
    "ix_applications_reg_number_trgm": "applications USING gin (lower(reg_number) gin_trgm_ops)",
    "ix_users_name_trgm": "users USING gin (lower(name) gin_trgm_ops)",
}


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return  # SQLite reads its files' numbers and names in a scan: fast enough at its scale
    try:
        with connection.begin_nested():
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        # The database's owner may not add extensions here: search works without, only slower.
        log.warning(
            "Ekstensi pg_trgm tidak dapat dipasang; pencarian permohonan berjalan tanpa indeks trigram. "
            "Pasang sebagai superuser: CREATE EXTENSION pg_trgm; lalu ulangi 'flask db upgrade'."
        )
        return
    for name, target in _INDEXES.items():
        connection.execute(sa.text(f"CREATE INDEX IF NOT EXISTS {name} ON {target}"))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in _INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
