"""Evidence items and chat-export imports.

Revision ID: 0002_evidence
Revises: 0001_cases
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_evidence"
down_revision = "0001_cases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("file_name", sa.String(32), nullable=True),
        sa.Column("thumbnail_name", sa.String(32), nullable=True),
        sa.Column("import_id", sa.String(32), nullable=True),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE",
                                name=op.f("fk_evidence_items_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_items")),
        sa.UniqueConstraint("uid", name=op.f("uq_evidence_items_uid")),
    )
    op.create_index(op.f("ix_evidence_items_case_id"), "evidence_items", ["case_id"])
    op.create_index(op.f("ix_evidence_items_import_id"), "evidence_items", ["import_id"])
    op.create_table(
        "evidence_imports",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(32), nullable=True),
        sa.Column("upload_name", sa.String(32), nullable=True),
        sa.Column("nonce", sa.LargeBinary(), nullable=True),
        sa.Column("ciphertext", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE",
                                name=op.f("fk_evidence_imports_case_id_cases")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_imports")),
    )
    op.create_index(op.f("ix_evidence_imports_case_id"), "evidence_imports", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_evidence_imports_case_id"), table_name="evidence_imports")
    op.drop_table("evidence_imports")
    op.drop_index(op.f("ix_evidence_items_import_id"), table_name="evidence_items")
    op.drop_index(op.f("ix_evidence_items_case_id"), table_name="evidence_items")
    op.drop_table("evidence_items")
