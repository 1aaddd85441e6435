"""Reader-facing text built from view models (Markdown, escaped): shared by the pages and the static edition."""
