"""The photo pipeline: uploads become small, metadata-free JPEGs (see processing)."""
