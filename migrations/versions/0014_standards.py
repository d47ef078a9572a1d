"""assessment points (#21), reserved

Revision ID: 0014_standards
Revises: 0013_peer_model
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0014_standards"
down_revision = "0013_peer_model"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
