"""assignment target people (#14): drill_assignment_targets (assignment_id, user_id), so that whether a person
is named by an assignment of 5,000 named people is one index lookup (drill.drills.report.assignee_condition),
even before the planner has statistics on a freshly loaded table.

Revision ID: 0024_assignment_target_people
Revises: 0023_province_indexes
"""

from alembic import op

revision = "0024_assignment_target_people"
down_revision = "0023_province_indexes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_drill_assignment_targets_assignment_id_user_id",
        "drill_assignment_targets",
        ["assignment_id", "user_id"],
    )


def downgrade():
    op.drop_index("ix_drill_assignment_targets_assignment_id_user_id", table_name="drill_assignment_targets")
