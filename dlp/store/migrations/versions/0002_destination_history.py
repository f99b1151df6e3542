"""Destination history for the misdirection guard (issue 18): monthly counts per sender and
destination, hashed; membership of chat groups; hashed local parts of internal addresses.

Nothing here holds content or a raw address: senders, destinations, addresses and local parts
are salted SHA-256 (the audit trail's salt), domains are kept (they name organisations, not
people), dates have day precision, and every count belongs to a calendar month so that
retention deletes whole months.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "history_senders",
        sa.Column("sender_sha256", sa.String(64), primary_key=True),
        sa.Column("period", sa.Date, primary_key=True),  # first day of the month
        sa.Column("messages", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.Date, nullable=False),
        sa.Column("last_seen", sa.Date, nullable=False),
    )
    op.create_index("ix_history_senders_period", "history_senders", ["period"])

    op.create_table(
        "history_destinations",
        sa.Column("sender_sha256", sa.String(64), primary_key=True),
        sa.Column("destination_sha256", sa.String(64), primary_key=True),
        sa.Column("period", sa.Date, primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),  # mail | chat | other
        sa.Column("domain", sa.String(253)),
        sa.Column("messages", sa.Integer, nullable=False),
        sa.Column("max_level", sa.SmallInteger, nullable=False),  # rank in dlp.model.SECRECY_LEVELS
        sa.Column("identifier_messages", sa.Integer, nullable=False),
        sa.Column("special_messages", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.Date, nullable=False),
        sa.Column("last_seen", sa.Date, nullable=False),
    )
    op.create_index("ix_history_destinations_destination", "history_destinations", ["destination_sha256"])
    op.create_index("ix_history_destinations_domain", "history_destinations", ["domain"])
    op.create_index("ix_history_destinations_period", "history_destinations", ["period"])

    op.create_table(
        "history_conversations",
        sa.Column("conversation_sha256", sa.String(64), primary_key=True),
        sa.Column("members", sa.Integer, nullable=False),
        sa.Column("external_members", sa.Integer, nullable=False),
        sa.Column("external_increased_on", sa.Date),
        sa.Column("last_seen", sa.Date, nullable=False),
    )

    op.create_table(
        "history_local_parts",
        sa.Column("address_sha256", sa.String(64), primary_key=True),
        sa.Column("local_sha256", sa.String(64), nullable=False, index=True),
        sa.Column("domain", sa.String(253), nullable=False),
        sa.Column("last_seen", sa.Date, nullable=False),
    )

    op.create_table(
        "history_sources",
        sa.Column("source", sa.String(200), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),  # live | import
        sa.Column("first_time", sa.DateTime, nullable=False),
        sa.Column("last_time", sa.DateTime, nullable=False),
        sa.Column("last_seq", sa.BigInteger),
        sa.Column("records", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    for table in ("history_sources", "history_local_parts", "history_conversations", "history_destinations", "history_senders"):
        op.drop_table(table)
