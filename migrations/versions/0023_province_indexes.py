"""province indexes (#14): the indexes the paginated, filtered organiser and appraisal lists read in order.

- appraisal_records (period_id, total): a period's records best first, a page at a time, and the
  organisation's ranks by total (appraisal.reports).

Revision ID: 0023_province_indexes
Revises: 0022_content_digest
"""

from alembic import op

revision = "0023_province_indexes"
down_revision = "0022_content_digest"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_appraisal_records_period_id_total", "appraisal_records", ["period_id", "total"])


def downgrade():
    op.drop_index("ix_appraisal_records_period_id_total", table_name="appraisal_records")
