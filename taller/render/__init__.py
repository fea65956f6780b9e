"""Render: HTML from templates, PDF from HTML (WeasyPrint behind the resource policy),
imposition on sheets, and the worker pool that runs render jobs."""
