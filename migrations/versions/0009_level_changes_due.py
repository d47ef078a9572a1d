"""appraisal: level changes take effect on their date; one pending proposal per manager

Revision ID: 0009_level_changes_due
Revises: 0008_exam_shuffle_options
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_level_changes_due"
down_revision = "0008_exam_shuffle_options"
branch_labels = None
depends_on = None

PENDING = sa.text("state = 'proposed'")


def upgrade():
    with op.batch_alter_table("appraisal_level_changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True))
    # Approvals before this revision changed the level at once.
    op.execute("UPDATE appraisal_level_changes SET applied_at = decided_at WHERE state = 'approved'")
    # Keep the oldest of any duplicate pending proposals; withdraw the rest as rejected.
    op.execute(
        "UPDATE appraisal_level_changes SET state = 'rejected', decision_note = 'duplicate proposal' "
        "WHERE state = 'proposed' AND id NOT IN "
        "(SELECT MIN(id) FROM appraisal_level_changes WHERE state = 'proposed' GROUP BY user_id)"
    )
    op.create_index(
        "uq_appraisal_level_changes_pending",
        "appraisal_level_changes",
        ["user_id"],
        unique=True,
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )


def downgrade():
    op.drop_index("uq_appraisal_level_changes_pending", table_name="appraisal_level_changes")
    with op.batch_alter_table("appraisal_level_changes", schema=None) as batch_op:
        batch_op.drop_column("applied_at")
