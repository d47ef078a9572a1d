"""assessment points (#21): reserved for the standards table and item/cell points

Revision ID: 0017_standards
Revises: 0016_exam_day
"""

revision = "0017_standards"
down_revision = "0016_exam_day"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
