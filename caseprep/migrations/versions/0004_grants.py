"""Grants: a lawyer's or caseworker's own access to a case, revocable.

Revision ID: 0004_grants
Revises: 0003_sessions
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_grants"
down_revision = "0003_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_grants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("kdf_salt", sa.LargeBinary(), nullable=False),
        sa.Column("kdf_params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE",
                                name=op.f("fk_case_grants_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_grants")),
        sa.UniqueConstraint("code", name=op.f("uq_case_grants_code")),
    )
    op.create_index(op.f("ix_case_grants_case_id"), "case_grants", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_case_grants_case_id"), table_name="case_grants")
    op.drop_table("case_grants")
