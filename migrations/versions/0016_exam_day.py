"""exam day (#13): one attempt per assignment and candidate; markers' claims on answers

Revision ID: 0016_exam_day
Revises: 0015_phone
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_exam_day"
down_revision = "0015_phone"
branch_labels = None
depends_on = None


def upgrade():
    # A unique index: SQLite adds it in place (a batch rebuild of `attempts` fails once rows point at it).
    op.create_index("uq_attempts_assignment_id_user_id", "attempts", ["assignment_id", "user_id"], unique=True)
    op.create_table(
        "mark_claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_item_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("marker_id", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_item_id"],
            ["attempt_items.id"],
            name=op.f("fk_mark_claims_attempt_item_id_attempt_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["marker_id"], ["users.id"], name=op.f("fk_mark_claims_marker_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mark_claims")),
        sa.UniqueConstraint("attempt_item_id", "round", name=op.f("uq_mark_claims_attempt_item_id_round")),
    )
    with op.batch_alter_table("mark_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mark_claims_marker_id"), ["marker_id"], unique=False)


def downgrade():
    with op.batch_alter_table("mark_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mark_claims_marker_id"))
    op.drop_table("mark_claims")
    op.drop_index("uq_attempts_assignment_id_user_id", table_name="attempts")
