"""exam control (#18): reserved for closing early and extra time

Revision ID: 0018_exam_control
Revises: 0017_standards
"""

revision = "0018_exam_control"
down_revision = "0017_standards"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
