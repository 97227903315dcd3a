"""Catalog pages: the tool list, categories, tool pages and the member actions on tools."""
