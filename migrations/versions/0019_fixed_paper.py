"""assignments with a fixed paper (#18): reserved

Revision ID: 0019_fixed_paper
Revises: 0018_exam_control
"""

revision = "0019_fixed_paper"
down_revision = "0018_exam_control"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
