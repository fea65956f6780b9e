"""Language: translation freshness, interface catalogs, translation provenance, collation."""
