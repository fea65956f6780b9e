"""Views: the curriculum seen in one language, shaped for templates (no logic in templates)."""
