"""cases service layer (no Flask imports)."""
