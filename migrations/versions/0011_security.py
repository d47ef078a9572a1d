"""security (#16), reserved

Revision ID: 0011_security
Revises: 0010_certificate_revocation
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0011_security"
down_revision = "0010_certificate_revocation"
branch_labels = None
depends_on = None


def upgrade():
    # 16B: the sign-in throttle shared by every app process, and the security log
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttles")),
    )
    op.create_table(
        "security_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("detail", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_security_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_security_events_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_events")),
    )
    with op.batch_alter_table("security_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_security_events_user_id"), ["user_id"], unique=False)
    # 16A: every certificate gets an unguessable verification code (those issued already too)
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=32), nullable=True))
    certificates = sa.table("certificates", sa.column("id", sa.Integer), sa.column("code", sa.String))
    connection = op.get_bind()
    for (certificate_id,) in connection.execute(sa.select(certificates.c.id)).all():
        connection.execute(
            certificates.update()
            .where(certificates.c.id == certificate_id)
            .values(code=secrets.token_urlsafe(16))
        )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.alter_column("code", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_certificates_code"), ["code"])


def downgrade():
    # 16A
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_certificates_code"), type_="unique")
        batch_op.drop_column("code")
    # 16B
    with op.batch_alter_table("security_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_security_events_user_id"))
    op.drop_table("security_events")
    op.drop_table("login_throttles")
