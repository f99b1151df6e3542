"""Incidents, their findings and events, overrides, shadow-rule hits, console users and sessions.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False, index=True),
        sa.Column("channel", sa.String(16), nullable=False, index=True),
        sa.Column("endpoint", sa.String(64), nullable=False),
        sa.Column("node", sa.String(128), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False, index=True),
        sa.Column("audit_seq", sa.Integer),
        sa.Column("audit_hash", sa.String(64)),
        sa.Column("sender_masked", sa.String(200)),
        sa.Column("sender_sha256", sa.String(64), index=True),
        sa.Column("recipients", sa.JSON, nullable=False),
        sa.Column("recipient_count", sa.Integer, nullable=False),
        sa.Column("conversation", sa.JSON),
        sa.Column("destination", sa.String(32), nullable=False, index=True),
        sa.Column("destination_label", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False, index=True),
        sa.Column("secrecy_level", sa.String(32), nullable=False, index=True),
        sa.Column("finding_count", sa.Integer, nullable=False),
        sa.Column("types", sa.JSON, nullable=False),
        sa.Column("rules", sa.JSON, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("content_sha256", sa.String(64)),
        sa.Column("patterns_version", sa.String(32)),
        sa.Column("pair_key", sa.JSON),
        sa.Column("queue_id", sa.String(64), index=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("triage_reason", sa.Text),
        sa.Column("triaged_by", sa.String(64)),
        sa.Column("triaged_at", sa.DateTime),
        sa.Column("quarantine_state", sa.String(24), index=True),
        sa.Column("release_requested_by", sa.String(64)),
        sa.Column("release_requested_at", sa.DateTime),
        sa.Column("release_reason", sa.Text),
        sa.Column("overridden", sa.Boolean, nullable=False),
    )

    op.create_table(
        "incident_findings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(32), sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("type", sa.String(48), nullable=False, index=True),
        sa.Column("rule", sa.String(100), nullable=False, index=True),
        sa.Column("level", sa.String(32)),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("excerpt", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("shadow", sa.Boolean, nullable=False),
        sa.Column("suppressed_by", sa.String(100)),
        sa.Column("value_sha256", sa.String(64)),
        sa.Column("verdict", sa.String(16)),
    )

    op.create_table(
        "incident_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(32), sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("time", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("event", sa.String(40), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )

    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(32), sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("time", sa.DateTime, nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(64)),
        sa.Column("original_action", sa.String(16), nullable=False),
        sa.Column("destination", sa.String(32), nullable=False),
        sa.Column("accepted", sa.Boolean, nullable=False),
        sa.Column("justification", sa.Text, nullable=False),
        sa.Column("refusal", sa.Text),
    )

    op.create_table(
        "shadow_hits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("time", sa.DateTime, nullable=False, index=True),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("incident_id", sa.String(32)),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("rule", sa.String(100), nullable=False, index=True),
        sa.Column("suppressed_by", sa.String(100)),
        sa.Column("enforced_action", sa.String(16), nullable=False),
        sa.Column("would_action", sa.String(16), nullable=False),
    )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("last_login_at", sa.DateTime),
    )

    op.create_table(
        "sessions",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False, index=True),
        sa.Column("last_seen_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("sessions", "users", "shadow_hits", "overrides", "incident_events", "incident_findings", "incidents"):
        op.drop_table(table)
