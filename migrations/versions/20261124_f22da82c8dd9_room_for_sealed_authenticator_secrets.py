"""room for sealed authenticator secrets

Revision ID: f22da82c8dd9
Revises: 635cb37549f6
Create Date: 2026-11-24 19:00:16.542489

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f22da82c8dd9'
down_revision = '635cb37549f6'
branch_labels = None
depends_on = None


def upgrade():
    # Authenticator secrets are now sealed (Fernet) before they are stored; the token needs room.
    # Plain values already stored keep working and `flask setup` / `flask reseal-secrets` seal them.
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.alter_column('totp_secret',
               existing_type=sa.VARCHAR(length=64),
               type_=sa.String(length=255),
               existing_nullable=True)


def downgrade():
    sealed = op.get_bind().execute(
        sa.text("SELECT count(*) FROM accounts WHERE totp_secret LIKE 'fernet:%'")
    ).scalar()
    if sealed:
        raise RuntimeError(
            f"{sealed} sealed authenticator secrets would not fit, and the older code cannot open them; "
            "those staff must set up two-factor sign-in again after a downgrade (clear the column first)."
        )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.alter_column('totp_secret',
               existing_type=sa.String(length=255),
               type_=sa.VARCHAR(length=64),
               existing_nullable=True)
