"""phone journeys (#17), reserved

Revision ID: 0015_phone
Revises: 0014_standards
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0015_phone"
down_revision = "0014_standards"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
