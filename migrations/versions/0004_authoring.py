"""authoring: drafts, their uploaded files, and the source of browser-published pack versions

Revision ID: 0004_authoring
Revises: 0003_drills
Create Date: 2026-11-29 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_authoring'
down_revision = '0003_drills'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('authoring_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authoring_files')),
    sa.UniqueConstraint('checksum', name=op.f('uq_authoring_files_checksum'))
    )
    op.create_table('authoring_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('pack_id', sa.Integer(), nullable=True),
    sa.Column('base_version', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_authoring_drafts_owner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pack_id'], ['packs.id'], name=op.f('fk_authoring_drafts_pack_id_packs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authoring_drafts'))
    )
    with op.batch_alter_table('authoring_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authoring_drafts_owner_id'), ['owner_id'], unique=False)

    op.create_table('pack_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pack_version_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pack_version_id'], ['pack_versions.id'], name=op.f('fk_pack_sources_pack_version_id_pack_versions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_pack_sources_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pack_sources')),
    sa.UniqueConstraint('pack_version_id', name=op.f('uq_pack_sources_pack_version_id'))
    )


def downgrade():
    op.drop_table('pack_sources')
    with op.batch_alter_table('authoring_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authoring_drafts_owner_id'))

    op.drop_table('authoring_drafts')
    op.drop_table('authoring_files')
