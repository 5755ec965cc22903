"""Alembic revisions: 0001_cases, 0002_evidence, ... each on top of the one before."""
