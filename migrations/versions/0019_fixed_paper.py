"""assignments with a fixed paper (#18): the questions drawn once for everyone, and reminders (催办)

Revision ID: 0019_fixed_paper
Revises: 0018_exam_control
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_fixed_paper"
down_revision = "0018_exam_control"
branch_labels = None
depends_on = None


def upgrade():
    # In place (SQLite adds a column without rebuilding a table that attempts point at): existing
    # assignments keep drawing a paper per person.
    op.add_column(
        "drill_assignments", sa.Column("fixed_paper", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "drill_assignment_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["drill_assignments.id"],
            name=op.f("fk_drill_assignment_questions_assignment_id_drill_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_version_id"],
            ["question_versions.id"],
            name=op.f("fk_drill_assignment_questions_question_version_id_question_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drill_assignment_questions")),
        sa.UniqueConstraint(
            "assignment_id", "position", name=op.f("uq_drill_assignment_questions_assignment_id_position")
        ),
        sa.UniqueConstraint(
            "assignment_id",
            "question_version_id",
            name=op.f("uq_drill_assignment_questions_assignment_id_question_version_id"),
        ),
    )
    op.create_table(
        "drill_assignment_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["drill_assignments.id"],
            name=op.f("fk_drill_assignment_reminders_assignment_id_drill_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["users.id"], name=op.f("fk_drill_assignment_reminders_sent_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_drill_assignment_reminders_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drill_assignment_reminders")),
    )
    op.create_index(
        op.f("ix_drill_assignment_reminders_assignment_id"),
        "drill_assignment_reminders",
        ["assignment_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_drill_assignment_reminders_user_id"), "drill_assignment_reminders", ["user_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_drill_assignment_reminders_user_id"), table_name="drill_assignment_reminders")
    op.drop_index(
        op.f("ix_drill_assignment_reminders_assignment_id"), table_name="drill_assignment_reminders"
    )
    op.drop_table("drill_assignment_reminders")
    op.drop_table("drill_assignment_questions")
    with op.batch_alter_table("drill_assignments", schema=None) as batch_op:
        batch_op.drop_column("fixed_paper")
