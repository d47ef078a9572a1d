"""hot paths (#22): reserved for score-event numbering and the answer table's storage

Revision ID: 0021_hot_paths
Revises: 0020_appraisal_volume
"""

revision = "0021_hot_paths"
down_revision = "0020_appraisal_volume"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
