"""A session version per user: logout, a password reset, deactivation and a role change add one,
which ends every session and remember cookie given out before (docs/sessions.md)

Sessions of before this migration carry no version and are refused: everyone logs in once more.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 21:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), server_default='1', nullable=False)
        )


def downgrade():
    # SQLite drops a column by copying the table: keep its AUTOINCREMENT (ids never reused).
    with op.batch_alter_table(
        'users', schema=None, table_kwargs={'sqlite_autoincrement': True}
    ) as batch_op:
        batch_op.drop_column('session_version')
