"""Imports of existing lists (issue 12): the import record and its actors (to undo it), saved
column mappings, jobs with their progress, merges of duplicates, and the enterprise number of an
actor from the KBO register (unique: a re-import of the register updates instead of adding)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 19:51:56

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('columns', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_import_mappings_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mappings')),
    sa.UniqueConstraint('name', name=op.f('uq_import_mappings_name'))
    )
    op.create_table('imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('mapping', sa.Text(), nullable=False),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('new_count', sa.Integer(), nullable=False),
    sa.Column('updated_count', sa.Integer(), nullable=False),
    sa.Column('unchanged_count', sa.Integer(), nullable=False),
    sa.Column('duplicate_count', sa.Integer(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('report', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_imports_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_imports_imported_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_imports_undone_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imports')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.create_index('ix_imports_created_at', ['created_at'], unique=False)

    op.create_table('imported_actors',
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('version_after', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], name=op.f('fk_imported_actors_actor_id_actors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['import_id'], ['imports.id'], name=op.f('fk_imported_actors_import_id_imports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('import_id', 'actor_id', name=op.f('pk_imported_actors'))
    )
    with op.batch_alter_table('imported_actors', schema=None) as batch_op:
        batch_op.create_index('ix_imported_actors_actor', ['actor_id'], unique=False)

    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('step', sa.String(length=30), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_jobs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['import_id'], ['imports.id'], name=op.f('fk_jobs_import_id_imports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index('ix_jobs_kind_created', ['kind', 'created_at'], unique=False)

    op.create_table('merges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kept_id', sa.Integer(), nullable=True),
    sa.Column('kept_name', sa.String(length=200), nullable=False),
    sa.Column('removed_id', sa.Integer(), nullable=False),
    sa.Column('removed_name', sa.String(length=200), nullable=False),
    sa.Column('fields_taken', sa.Text(), nullable=False),
    sa.Column('contacts_moved', sa.Integer(), nullable=False),
    sa.Column('relations_moved', sa.Integer(), nullable=False),
    sa.Column('invitations_moved', sa.Integer(), nullable=False),
    sa.Column('ideas_moved', sa.Integer(), nullable=False),
    sa.Column('merged_by_id', sa.Integer(), nullable=True),
    sa.Column('merged_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['kept_id'], ['actors.id'], name=op.f('fk_merges_kept_id_actors'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_by_id'], ['users.id'], name=op.f('fk_merges_merged_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merges')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.create_index('ix_merges_merged_at', ['merged_at'], unique=False)

    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('enterprise_number', sa.String(length=12), nullable=True))
        batch_op.create_index('uq_actors_enterprise_number', ['enterprise_number'], unique=True)



def downgrade():
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.drop_index('uq_actors_enterprise_number')
        batch_op.drop_column('enterprise_number')

    with op.batch_alter_table('merges', schema=None) as batch_op:
        batch_op.drop_index('ix_merges_merged_at')

    op.drop_table('merges')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_kind_created')

    op.drop_table('jobs')
    with op.batch_alter_table('imported_actors', schema=None) as batch_op:
        batch_op.drop_index('ix_imported_actors_actor')

    op.drop_table('imported_actors')
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.drop_index('ix_imports_created_at')

    op.drop_table('imports')
    op.drop_table('import_mappings')
