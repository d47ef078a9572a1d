"""record sums index (#14): the appraisal report sums a period's records by branch, unit and band
(drill.appraisal.reports.lines) from an index holding every column it reads, instead of reading 50,000 wide
rows with their trails.

Revision ID: 0027_record_sums_index
Revises: 0026_round_changes
"""

from alembic import op

revision = "0027_record_sums_index"
down_revision = "0026_round_changes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_appraisal_records_period_id_sums",
        "appraisal_records",
        ["period_id", "user_id", "unit", "band", "total"],
    )


def downgrade():
    op.drop_index("ix_appraisal_records_period_id_sums", table_name="appraisal_records")
