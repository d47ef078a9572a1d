"""assessment points (#21): no schema change. The points are read from the content folder's standards/
at run time, as the taxonomy is (drill/exams/coverage.py); a question's 考点 are in its version's spec;
a blueprint row of one question per point is a key of the exam's blueprint JSON.

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
