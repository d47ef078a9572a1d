"""exam control (#18): closing an exam early, extra time or a re-opened paper for one candidate

Revision ID: 0018_exam_control
Revises: 0017_standards
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_exam_control"
down_revision = "0017_standards"
branch_labels = None
depends_on = None


def upgrade():
    # A table of its own, not columns on `exams`: SQLite cannot add a foreign key in place, and a batch
    # rebuild of `exams` fails once attempts point at it.
    op.create_table(
        "exam_closures",
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=False),
        sa.Column("everyone_submitted", sa.Boolean(), nullable=False),
        sa.Column("collected", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exam_id"], ["exams.id"], name=op.f("fk_exam_closures_exam_id_exams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["users.id"], name=op.f("fk_exam_closures_closed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("exam_id", name=op.f("pk_exam_closures")),
    )
    with op.batch_alter_table("exam_adjustments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempt_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("action", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("deadline", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_exam_adjustments_attempt_id_attempts"),
            "attempts",
            ["attempt_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("exam_adjustments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_exam_adjustments_attempt_id_attempts"), type_="foreignkey")
        batch_op.drop_column("deadline")
        batch_op.drop_column("action")
        batch_op.drop_column("attempt_id")
    op.drop_table("exam_closures")
