"""user language: the language each person chose for the pages (Indonesian or English)

Revision ID: c3e8a1f5d902
Revises: b5d1e8f3a2c6
Create Date: 2026-12-07

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c3e8a1f5d902"
down_revision = "b5d1e8f3a2c6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(5), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
