"""round changes (#14): competition_round_changes, one row per change to what a round's scores are computed
from, so that each process keeps a province round's scores between requests and knows, by counting, when
they are no longer current (drill.competitions.kept_rounds).

Revision ID: 0026_round_changes
Revises: 0025_record_tie_keys
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_round_changes"
down_revision = "0025_record_tie_keys"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "competition_round_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["competition_rounds.id"],
            name=op.f("fk_competition_round_changes_round_id_competition_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_round_changes")),
    )
    op.create_index(
        op.f("ix_competition_round_changes_round_id"), "competition_round_changes", ["round_id"]
    )


def downgrade():
    op.drop_index("ix_competition_round_changes_round_id", table_name="competition_round_changes")
    op.drop_table("competition_round_changes")
