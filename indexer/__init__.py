"""Index stage: stores chosen by URL (embedded SQLite default, Elasticsearch)."""
