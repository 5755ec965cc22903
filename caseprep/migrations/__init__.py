"""Alembic migrations, inside the package so a built wheel carries them."""
