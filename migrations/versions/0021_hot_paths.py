"""hot paths (#22): score events numbered without a hot row; the answer table's storage

- score_events.txid (the recording transaction, PostgreSQL) and the index boards catch up by;
- the sequence score_event_seq (PostgreSQL) that numbers new events, started past every number in use;
- attempt_items: fillfactor and autovacuum settings for rows updated again and again (PostgreSQL).

Revision ID: 0021_hot_paths
Revises: 0020_appraisal_volume
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_hot_paths"
down_revision = "0020_appraisal_volume"
branch_labels = None
depends_on = None

# As in drill.database.STORAGE at the time of writing (a migration does not follow later edits).
ATTEMPT_ITEMS_STORAGE = (
    "fillfactor = 50, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05, "
    "autovacuum_vacuum_cost_delay = 0"
)
RESET = (
    "fillfactor, autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor, "
    "autovacuum_vacuum_cost_delay"
)


def upgrade():
    with op.batch_alter_table("score_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("txid", sa.BigInteger(), nullable=True))
    op.create_index("ix_score_events_competition_id_txid", "score_events", ["competition_id", "txid"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE score_event_seq")
        op.execute(
            "SELECT setval('score_event_seq', (SELECT coalesce(max(seq), 0) + 1 FROM score_events), false)"
        )
        op.execute(f"ALTER TABLE attempt_items SET ({ATTEMPT_ITEMS_STORAGE})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE attempt_items RESET ({RESET})")
        op.execute("DROP SEQUENCE score_event_seq")
        # Back to one counter per competition: continue past the numbers the sequence gave.
        op.execute(
            "UPDATE competitions SET event_seq = coalesce("
            "(SELECT max(seq) FROM score_events WHERE score_events.competition_id = competitions.id), 0)"
        )
    op.drop_index("ix_score_events_competition_id_txid", table_name="score_events")
    with op.batch_alter_table("score_events", schema=None) as batch_op:
        batch_op.drop_column("txid")
