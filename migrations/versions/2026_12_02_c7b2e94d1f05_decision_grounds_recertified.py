"""decision grounds and recertified certificates: the reason a sanction decision states, shown
with it; the earlier certificate of a key certified again after the public address moved

Revision ID: c7b2e94d1f05
Revises: a3f19b6c2d41
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c7b2e94d1f05"
down_revision = "a3f19b6c2d41"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("grounds", sa.Text(), nullable=True))
    # Revocations and cancellations issued before: their permit holds the same reason.
    op.execute(
        sa.text(
            "UPDATE documents SET grounds = (SELECT p.status_reason FROM documents p "
            "WHERE p.superseded_by_id = documents.id AND p.kind = 'izin') "
            "WHERE kind IN ('pencabutan', 'pembatalan')"
        )
    )
    with op.batch_alter_table("signer_certificates") as batch:
        batch.add_column(sa.Column("recertifies_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_signer_certificates_recertifies", "signer_certificates", ["recertifies_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("signer_certificates") as batch:
        batch.drop_constraint("fk_signer_certificates_recertifies", type_="foreignkey")
        batch.drop_column("recertifies_id")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("grounds")
