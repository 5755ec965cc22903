"""Server-side sessions: every browser session and API token, revocable.

Revision ID: 0003_sessions
Revises: 0002_evidence
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_sessions"
down_revision = "0002_evidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("key_share", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE",
                                name=op.f("fk_case_sessions_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_case_sessions_token_hash")),
    )
    op.create_index(op.f("ix_case_sessions_case_id"), "case_sessions", ["case_id"])
    op.create_index(op.f("ix_case_sessions_expires_at"), "case_sessions", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_case_sessions_expires_at"), table_name="case_sessions")
    op.drop_index(op.f("ix_case_sessions_case_id"), table_name="case_sessions")
    op.drop_table("case_sessions")
