"""exams: a switch to keep choice options in pack order

Revision ID: 0008_exam_shuffle_options
Revises: 0007_appraisal
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_exam_shuffle_options"
down_revision = "0007_appraisal"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("exams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shuffle_options", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table("exams", schema=None) as batch_op:
        batch_op.drop_column("shuffle_options")
