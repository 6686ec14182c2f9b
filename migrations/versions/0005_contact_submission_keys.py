"""One tap is one contact: the submission key of a logged contact, unique per user

A page's one-time form token and an API client's Idempotency-Key are stored with the contact
they logged, with a digest of the values sent. The partial unique index (only rows with a key)
makes a repeated or concurrent submission of the same key fail to insert a second contact;
crm.contacts.log_contact_once then answers with the first one.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable columns: added in place on both databases, without rewriting the contacts.
    with op.batch_alter_table('contact_logs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('submission_digest', sa.String(length=64), nullable=True))
    op.create_index(
        'uq_contact_logs_submission',
        'contact_logs',
        ['created_by_id', 'submission_key'],
        unique=True,
        sqlite_where=sa.text('submission_key IS NOT NULL'),
        postgresql_where=sa.text('submission_key IS NOT NULL'),
    )


def downgrade():
    op.drop_index('uq_contact_logs_submission', table_name='contact_logs')
    with op.batch_alter_table('contact_logs', schema=None) as batch_op:
        batch_op.drop_column('submission_digest')
        batch_op.drop_column('submission_key')
