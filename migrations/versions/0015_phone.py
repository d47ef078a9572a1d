"""phone journeys (#17): an attempt item keeps the version counter of its saved answer

A page that queues answers on the phone numbers each change of an item; the server keeps the newest, so a
replayed older save cannot overwrite a newer one.

Revision ID: 0015_phone
Revises: 0013_peer_model
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_phone"
down_revision = "0013_peer_model"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempt_items") as batch:
        batch.add_column(sa.Column("saved_seq", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("attempt_items") as batch:
        batch.drop_column("saved_seq")
