"""security (#16), reserved

Revision ID: 0011_security
Revises: 0010_certificate_revocation
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0011_security"
down_revision = "0010_certificate_revocation"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
