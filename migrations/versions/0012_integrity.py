"""exam integrity (#23), reserved

Revision ID: 0012_integrity
Revises: 0011_security
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0012_integrity"
down_revision = "0011_security"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
