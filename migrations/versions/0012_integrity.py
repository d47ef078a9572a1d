"""exam integrity (#23): settings per exam or round, page-leave events, similarity flags and decisions

Revision ID: 0012_integrity
Revises: 0011_security
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_integrity"
down_revision = "0011_security"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "integrity_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=True),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("count_leaves", sa.Boolean(), nullable=False),
        sa.Column("leave_limit", sa.Integer(), nullable=True),
        sa.Column("block_paste", sa.Boolean(), nullable=False),
        sa.Column("fullscreen", sa.Boolean(), nullable=False),
        sa.Column("one_device", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "(exam_id IS NULL) <> (round_id IS NULL)", name=op.f("ck_integrity_settings_exam_or_round")
        ),
        sa.ForeignKeyConstraint(
            ["exam_id"], ["exams.id"], name=op.f("fk_integrity_settings_exam_id_exams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["competition_rounds.id"],
            name=op.f("fk_integrity_settings_round_id_competition_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_settings")),
        sa.UniqueConstraint("exam_id", name=op.f("uq_integrity_settings_exam_id")),
        sa.UniqueConstraint("round_id", name=op.f("uq_integrity_settings_round_id")),
    )
    op.create_table(
        "integrity_papers",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("leaves", sa.Integer(), nullable=False),
        sa.Column("pastes", sa.Integer(), nullable=False),
        sa.Column("devices", sa.Integer(), nullable=False),
        sa.Column("limit_reached_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_integrity_papers_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attempt_id", name=op.f("pk_integrity_papers")),
    )
    op.create_table(
        "integrity_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("reported_ms", sa.Integer(), nullable=True),
        sa.Column("delay_ms", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_integrity_events_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_events")),
        sa.UniqueConstraint("attempt_id", "device", "seq", name=op.f("uq_integrity_events_attempt_id_device_seq")),
    )
    with op.batch_alter_table("integrity_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_integrity_events_attempt_id"), ["attempt_id"], unique=False)
    op.create_table(
        "similarity_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=True),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("attempt_a_id", sa.Integer(), nullable=False),
        sa.Column("attempt_b_id", sa.Integer(), nullable=False),
        sa.Column("question_version_id", sa.Integer(), nullable=True),
        sa.Column("similarity", sa.Double(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_a_id"],
            ["attempts.id"],
            name=op.f("fk_similarity_flags_attempt_a_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attempt_b_id"],
            ["attempts.id"],
            name=op.f("fk_similarity_flags_attempt_b_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["exam_id"], ["exams.id"], name=op.f("fk_similarity_flags_exam_id_exams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["question_version_id"],
            ["question_versions.id"],
            name=op.f("fk_similarity_flags_question_version_id_question_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["competition_rounds.id"],
            name=op.f("fk_similarity_flags_round_id_competition_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_similarity_flags")),
        sa.UniqueConstraint("key", name=op.f("uq_similarity_flags_key")),
    )
    with op.batch_alter_table("similarity_flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_similarity_flags_exam_id"), ["exam_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_similarity_flags_round_id"), ["round_id"], unique=False)
    op.create_table(
        "similarity_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flag_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_similarity_decisions_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["flag_id"],
            ["similarity_flags.id"],
            name=op.f("fk_similarity_decisions_flag_id_similarity_flags"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_similarity_decisions")),
    )
    with op.batch_alter_table("similarity_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_similarity_decisions_flag_id"), ["flag_id"], unique=False)


def downgrade():
    op.drop_table("similarity_decisions")
    op.drop_table("similarity_flags")
    op.drop_table("integrity_events")
    op.drop_table("integrity_papers")
    op.drop_table("integrity_settings")
