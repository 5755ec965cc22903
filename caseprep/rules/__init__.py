"""Rules core: facts catalog, rule-file schema, loader, conditions, engine. No Flask imports."""
