"""appraisal at volume (#18): reserved

Revision ID: 0020_appraisal_volume
Revises: 0019_fixed_paper
"""

revision = "0020_appraisal_volume"
down_revision = "0019_fixed_paper"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
