"""documents service layer (no Flask imports)."""
