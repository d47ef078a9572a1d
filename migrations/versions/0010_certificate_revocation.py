"""exams: a re-mark after the release can revoke a certificate (or re-instate it)

Revision ID: 0010_certificate_revocation
Revises: 0009_level_changes_due
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_certificate_revocation"
down_revision = "0009_level_changes_due"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("revoked_reason", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_column("revoked_reason")
        batch_op.drop_column("revoked_at")
