"""evidence service layer (no Flask imports)."""
