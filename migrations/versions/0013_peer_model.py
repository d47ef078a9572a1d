"""peer scoring model (#15), reserved

Revision ID: 0013_peer_model
Revises: 0012_integrity
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0013_peer_model"
down_revision = "0012_integrity"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
