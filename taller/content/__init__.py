"""Content: the content folder read into a typed `Curriculum` and checked (YAML, schema,
load, validate). Nothing here imports Jinja, WeasyPrint, Babel or markdown-it: `check`
and a translator's `status` never pay for them, and a test keeps it so."""
