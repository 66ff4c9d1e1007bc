"""Structured medical content → Markdown pages, built into a site by MkDocs (or another engine)."""
