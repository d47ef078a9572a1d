"""peer scoring model (#15): a case round's judge budget, the share of its entries a judge checks

Revision ID: 0013_peer_model
Revises: 0012_integrity
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_peer_model"
down_revision = "0012_integrity"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("competition_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("judge_budget", sa.Double(), nullable=False, server_default="10"))


def downgrade():
    with op.batch_alter_table("competition_rounds", schema=None) as batch_op:
        batch_op.drop_column("judge_budget")
