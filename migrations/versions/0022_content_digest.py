"""content digest (#14): pack_versions.content_digest, the digest of the source files a version was
imported from, so that an import recognises an unchanged pack without parsing it.

Revision ID: 0022_content_digest
Revises: 0021_hot_paths
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_content_digest"
down_revision = "0021_hot_paths"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("pack_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_digest", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_pack_versions_content_digest"), ["content_digest"], unique=False)


def downgrade():
    with op.batch_alter_table("pack_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pack_versions_content_digest"))
        batch_op.drop_column("content_digest")
