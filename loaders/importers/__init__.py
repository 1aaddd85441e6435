"""Importers: raw published files (or user uploads) -> tidy tables in data/."""
